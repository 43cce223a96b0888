package dev.aperture.models.source;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one HEAD request tells about a file, against the fake hub. */
class HubClientTest {

    static final HubRef REF = new HubRef("test-org/clip-tiny", "main");
    FakeHub hub;
    HubClient client;

    @BeforeEach
    void start() throws IOException {
        hub = FakeHub.serving(REF.repoId(), FakeHub.fixture("clip-tiny"), "config.json", "model.safetensors");
        client = new HubClient(new HubOptions(hub.endpoint(), null, Path.of("unused"), false,
                DownloadListener.quiet(), ModelFiles.clip(), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    @Test
    void smallFileHasGitSha1EtagContentLengthAndIsDownloadedFromTheResolveUrl() {
        RemoteFile config = client.head(REF, "main", "config.json");

        assertTrue(config.exists());
        assertEquals(FakeHub.COMMIT, config.commit());
        assertEquals("8538d635e996957a4aba137dff6bf63f1a5f736f", config.etag());
        assertEquals(667, config.size());
        assertEquals(client.resolveUrl(REF.repoId(), "main", "config.json"), config.downloadUri());
    }

    @Test
    void lfsFileHasLinkedEtagLinkedSizeAndTheCdnLocation() {
        RemoteFile model = client.head(REF, "main", "model.safetensors");

        assertEquals("7acdba8077ffd45c65c31ca508c79388b7951c31e4be6e7d4a567e2b79965f95", model.etag());
        assertEquals(9998804, model.size());
        assertTrue(model.downloadUri().getPath().startsWith("/blobs/"), model.downloadUri().toString());
        assertFalse(model.downloadUri().getAuthority().equals(hub.endpoint().getAuthority()));
    }

    @Test
    void missingFileIsReportedAsAbsentWithTheCommit() {
        RemoteFile missing = client.head(REF, "main", "tokenizer.json");

        assertFalse(missing.exists());
        assertEquals(FakeHub.COMMIT, missing.commit());
    }

    @Test
    void unknownRepoSaysItMayBePrivate() {
        InputException error = assertThrows(InputException.class,
                () -> client.head(new HubRef("other/model", "main"), "main", "config.json"));

        assertTrue(error.getMessage().contains("other/model"), error.getMessage());
        assertTrue(error.getMessage().contains("HF_TOKEN"), error.getMessage());
    }

    @Test
    void revisionIsOnePathSegmentAndFileNamesKeepTheirSlashes() {
        URI url = client.resolveUrl("org/name", "refs/pr/1", "sub dir/model.safetensors");

        assertEquals(hub.endpoint() + "/org/name/resolve/refs%2Fpr%2F1/sub%20dir/model.safetensors", url.toString());
    }

    @Test
    void etagIsNormalisedLikeHuggingfaceHub() {
        assertEquals("abc123", RepoPaths.normalizeEtag("W/\"abc123\"", "u"));
        assertEquals("abc123", RepoPaths.normalizeEtag("\"abc123\"", "u"));
        assertThrows(InputException.class, () -> RepoPaths.normalizeEtag("\"../../x\"", "u"));
    }
}
