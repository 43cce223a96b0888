package dev.aperture.models.source;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cache laid out by hand exactly as huggingface_hub writes it (what `CLIPModel.from_pretrained` leaves behind)
 * is used as is, with the network unusable.
 */
class HandMadeCacheTest {

    static final String COMMIT = "3d74acf9a28c67741b2f4f2ea7635f0aaf6f0268";
    static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.json",
            "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json");
    // Port 9 on loopback (discard) has no listener in the test environment: any request would fail to connect.
    static final URI NO_NETWORK = URI.create("http://127.0.0.1:9");

    @TempDir
    Path cacheDir;

    /** Writes blobs/<etag>, snapshots/<commit>/<file> -> ../../blobs/<etag> and refs/main as Python does. */
    Path layOutLikePython(String folderName) throws IOException {
        return layOutLikePython(folderName, FakeHub.fixture("clip-tiny"), FILES);
    }

    /** {@link #layOutLikePython(String)} with the named files of another fixture folder. */
    Path layOutLikePython(String folderName, Path fixture, List<String> files) throws IOException {
        Path repo = cacheDir.resolve(folderName);
        Path snapshot = repo.resolve("snapshots").resolve(COMMIT);
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(snapshot);
        Files.createDirectories(repo.resolve("refs"));
        for (String file : files) {
            byte[] content = Files.readAllBytes(fixture.resolve(file));
            String etag = FakeHub.etagOf(file, content);
            Files.write(repo.resolve("blobs").resolve(etag), content);
            Files.createSymbolicLink(snapshot.resolve(file), Path.of("../../blobs/" + etag));
        }
        Files.writeString(repo.resolve("refs").resolve("main"), COMMIT, StandardCharsets.UTF_8);
        Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));
        Files.createFile(repo.resolve(".no_exist").resolve(COMMIT).resolve("added_tokens.json"));
        return snapshot;
    }

    HubOptions options(URI endpoint, boolean offline) {
        return new HubOptions(endpoint, null, cacheDir, offline, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(2));
    }

    @Test
    void pythonCacheIsUsedWithTheNetworkUnreachable() throws IOException {
        Path snapshot = layOutLikePython("models--openai--clip-vit-base-patch32");

        Path resolved = ModelSource.resolve("openai/clip-vit-base-patch32", options(NO_NETWORK, false)).folder();

        assertEquals(snapshot, resolved);
        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors")),
                Files.readAllBytes(resolved.resolve("model.safetensors")));
    }

    @Test
    void pythonCacheMakesNoRequestToAReachableHub() throws IOException {
        layOutLikePython("models--openai--clip-vit-base-patch32");
        try (FakeHub hub = new FakeHub("openai/clip-vit-base-patch32")) {
            ModelSource.resolve("openai/clip-vit-base-patch32", options(hub.endpoint(), false));

            assertTrue(hub.requests().isEmpty());
        }
    }

    @Test
    void pythonCacheServesOfflineModeAndPinnedCommits() throws IOException {
        Path snapshot = layOutLikePython("models--openai--clip-vit-base-patch32");

        assertEquals(snapshot, ModelSource.resolve("openai/clip-vit-base-patch32", options(NO_NETWORK, true)).folder());
        assertEquals(snapshot, ModelSource.resolve("openai/clip-vit-base-patch32@" + COMMIT,
                options(NO_NETWORK, true)).folder());
    }

    @Test
    void pythonCacheWithOnlyPickleWeightsServesOfflineMode() throws IOException {
        // What CLIPModel.from_pretrained("openai/clip-vit-base-patch32") leaves behind: pytorch_model.bin, and
        // no record of a conversion pull request (only Aperture keeps one).
        List<String> files = List.of("config.json", "pytorch_model.bin", "tokenizer.json", "vocab.json", "merges.txt",
                "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json");
        Path snapshot = layOutLikePython("models--openai--clip-vit-base-patch32",
                FakeHub.fixture("checkpoints/clip-tiny-bin/zip"), files);

        ResolvedModel resolved = ModelSource.resolve("openai/clip-vit-base-patch32", options(NO_NETWORK, true));

        assertEquals(new ResolvedModel(snapshot, snapshot.resolve("pytorch_model.bin")), resolved);
    }

    @Test
    void cacheLackingOnlyAnOptionalFileIsUsedWhenTheHubIsUnreachable() throws IOException {
        Path snapshot = layOutLikePython("models--openai--clip-vit-base-patch32");
        Files.delete(snapshot.resolve("preprocessor_config.json"));

        assertEquals(snapshot, ModelSource.resolve("openai/clip-vit-base-patch32", options(NO_NETWORK, false)).folder());
    }

    @Test
    void cacheLackingAnOptionalFileAsksTheHubWhenItIsReachable() throws IOException {
        Path snapshot = layOutLikePython("models--openai--clip-vit-base-patch32");
        Files.delete(snapshot.resolve("preprocessor_config.json"));
        try (FakeHub hub = FakeHub.serving("openai/clip-vit-base-patch32", FakeHub.fixture("clip-tiny"),
                FILES.toArray(String[]::new))) {
            Path resolved = ModelSource.resolve("openai/clip-vit-base-patch32", options(hub.endpoint(), false)).folder();

            // The hub's main is now FakeHub.COMMIT: that snapshot is filled, refs/main moves to it.
            assertEquals(cacheDir.resolve("models--openai--clip-vit-base-patch32/snapshots/" + FakeHub.COMMIT),
                    resolved);
            assertTrue(Files.isRegularFile(resolved.resolve("preprocessor_config.json")));
            assertEquals(FakeHub.COMMIT, Files.readString(
                    cacheDir.resolve("models--openai--clip-vit-base-patch32/refs/main"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void danglingSnapshotLinkCountsAsMissingInOfflineMode() throws IOException {
        layOutLikePython("models--openai--clip-vit-base-patch32");
        Path blobs = cacheDir.resolve("models--openai--clip-vit-base-patch32").resolve("blobs");
        byte[] config = Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("config.json"));
        Files.delete(blobs.resolve(FakeHub.etagOf("config.json", config)));

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve("openai/clip-vit-base-patch32", options(NO_NETWORK, true)));

        assertTrue(error.getMessage().contains("config.json"), error.getMessage());
    }
}
