package dev.aperture.models.source;

import dev.aperture.core.ApertureException;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads from a fake hub on 127.0.0.1 into a temporary cache, checking layout, integrity and failures. */
class ModelSourceDownloadTest {

    static final String REPO = "test-org/clip-tiny";
    static final String FOLDER = "models--test-org--clip-tiny";
    static final List<String> CLIP_FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json",
            "preprocessor_config.json");

    @TempDir
    Path cacheDir;
    FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), CLIP_FILES.toArray(String[]::new));
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubOptions options() {
        return new HubOptions(hub.endpoint(), null, cacheDir, false, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(10));
    }

    Path repoFolder() {
        return cacheDir.resolve(FOLDER);
    }

    /** Every path under the cache, relative, '/'-separated, sorted. */
    Set<String> tree() throws IOException {
        try (Stream<Path> paths = Files.walk(cacheDir)) {
            TreeSet<String> tree = new TreeSet<>();
            paths.filter(path -> !path.equals(cacheDir))
                    .forEach(path -> tree.add(cacheDir.relativize(path).toString().replace('\\', '/')));
            return tree;
        }
    }

    @Test
    void freshDownloadLaysOutTheCacheLikeHuggingfaceHub() throws IOException {
        Path snapshot = ModelSource.resolve(REPO, options()).folder();

        assertEquals(repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT), snapshot);
        TreeSet<String> expected = new TreeSet<>(List.of(".locks", ".locks/" + FOLDER, FOLDER, FOLDER + "/blobs",
                FOLDER + "/refs", FOLDER + "/refs/main", FOLDER + "/snapshots", FOLDER + "/snapshots/" + FakeHub.COMMIT));
        for (String file : CLIP_FILES) {
            String etag = hub.etagOf(file);
            expected.add(FOLDER + "/blobs/" + etag);
            expected.add(".locks/" + FOLDER + "/" + etag + ".lock");
            expected.add(FOLDER + "/snapshots/" + FakeHub.COMMIT + "/" + file);
        }
        assertEquals(expected, tree());
        assertEquals(FakeHub.COMMIT, Files.readString(repoFolder().resolve("refs/main"), StandardCharsets.UTF_8));
        for (String file : CLIP_FILES) {
            Path entry = snapshot.resolve(file);
            assertTrue(Files.isSymbolicLink(entry), file + " should be a symlink");
            assertEquals(Path.of("..", "..", "blobs", hub.etagOf(file)), Files.readSymbolicLink(entry));
            assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve(file)),
                    Files.readAllBytes(entry), file);
        }
    }

    @Test
    void lfsBlobIsNamedBySha256AndSmallFilesByGitBlobSha1() throws IOException {
        ModelSource.resolve(REPO, options());

        // Computed outside Java: `sha256sum model.safetensors`, `git hash-object config.json`.
        String modelSha256 = "7acdba8077ffd45c65c31ca508c79388b7951c31e4be6e7d4a567e2b79965f95";
        String configGitSha1 = "8538d635e996957a4aba137dff6bf63f1a5f736f";
        assertEquals(modelSha256, hub.etagOf("model.safetensors"));
        assertEquals(configGitSha1, hub.etagOf("config.json"));
        assertTrue(Files.isRegularFile(repoFolder().resolve("blobs").resolve(modelSha256)));
        assertTrue(Files.isRegularFile(repoFolder().resolve("blobs").resolve(configGitSha1)));
    }

    @Test
    void headRequestsDoNotFollowTheCdnRedirectAndOnlyNeededFilesAreFetched() {
        hub.put("pytorch_model.bin", new byte[] {1, 2, 3});
        hub.put("flax_model.msgpack", new byte[] {4, 5, 6});
        ModelSource.resolve(REPO, options());

        List<FakeHub.Request> requests = hub.requests();
        assertTrue(requests.stream().noneMatch(r -> r.server().equals("cdn") && r.method().equals("HEAD")));
        assertTrue(requests.stream().noneMatch(r -> r.path().endsWith(".bin") || r.path().endsWith(".msgpack")));
        assertTrue(requests.stream().noneMatch(r -> r.path().startsWith("/api/")), "no conversion is looked for");
        assertEquals(CLIP_FILES.size(), requests.stream().filter(r -> r.method().equals("HEAD")).count());
        assertEquals(1, requests.stream().filter(r -> r.server().equals("cdn")).count());
    }

    /** Records listener calls as text lines. */
    static final class RecordingListener implements DownloadListener {
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(String fileName, long totalBytes, long resumedAt) {
            events.add("started " + fileName + " " + totalBytes + " " + resumedAt);
        }

        @Override
        public void progressed(String fileName, long bytesDone) {
            // Reported every 100 ms while a body streams: a loopback transfer may finish before the first report.
        }

        @Override
        public void finished(String fileName) {
            events.add("finished " + fileName);
        }

        @Override
        public void failed(String fileName) {
            events.add("failed " + fileName);
        }
    }

    @Test
    void listenerHearsEachFileStartAndFinishWithItsSize() throws IOException {
        RecordingListener listener = new RecordingListener();

        ModelSource.resolve(REPO, options().withListener(listener));

        for (String file : CLIP_FILES) {
            long size = Files.size(FakeHub.fixture("clip-tiny").resolve(file));
            assertTrue(listener.events.contains("started " + file + " " + size + " 0"), listener.events.toString());
            assertTrue(listener.events.contains("finished " + file), listener.events.toString());
        }
        assertEquals(2 * CLIP_FILES.size(), listener.events.size());
    }

    @Test
    void listenerHearsAFailedDownload() {
        hub.corruptBlobs = true;
        RecordingListener listener = new RecordingListener();

        assertThrows(FormatException.class, () -> ModelSource.resolve(REPO, options().withListener(listener)));

        assertEquals("failed model.safetensors", listener.events.getLast());
    }

    @Test
    void secondResolveMakesNoRequest() {
        Path first = ModelSource.resolve(REPO, options()).folder();
        int requestsAfterFirst = hub.requests().size();

        Path second = ModelSource.resolve(REPO, options()).folder();

        assertEquals(first, second);
        assertEquals(requestsAfterFirst, hub.requests().size());
    }

    @Test
    void offlineModeUsesTheCacheWithoutTheNetwork() {
        Path downloaded = ModelSource.resolve(REPO, options()).folder();
        hub.close();
        int requests = hub.requests().size();

        Path offline = ModelSource.resolve(REPO, options().withOffline(true)).folder();

        assertEquals(downloaded, offline);
        assertEquals(requests, hub.requests().size());
    }

    @Test
    void offlineModeNamesWhatIsMissingAndWhere() throws IOException {
        ModelSource.resolve(REPO, options());
        Files.delete(repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT).resolve("config.json"));
        int requests = hub.requests().size();

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(REPO, options().withOffline(true)));

        assertTrue(error.getMessage().contains("config.json"), error.getMessage());
        assertTrue(error.getMessage().contains(repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT).toString()),
                error.getMessage());
        assertEquals(requests, hub.requests().size());
    }

    @Test
    void offlineModeWithNothingCachedNamesTheMissingRef() {
        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(REPO, options().withOffline(true)));

        assertTrue(error.getMessage().contains(repoFolder().resolve("refs").resolve("main").toString()),
                error.getMessage());
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void corruptTransferIsDetectedAndLeavesNothingInTheCache() throws IOException {
        hub.corruptBlobs = true;

        FormatException error = assertThrows(FormatException.class, () -> ModelSource.resolve(REPO, options()));

        String etag = hub.etagOf("model.safetensors");
        assertTrue(error.getMessage().contains("model.safetensors"), error.getMessage());
        assertFalse(Files.exists(repoFolder().resolve("blobs").resolve(etag)));
        assertFalse(Files.exists(repoFolder().resolve("blobs").resolve(etag + ".incomplete")));
        assertFalse(Files.exists(repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT).resolve("model.safetensors"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(repoFolder().resolve("refs").resolve("main")));
    }

    @Test
    void interruptedTransferResumesWithARangeRequest() throws IOException {
        hub.dropAfterBytes = 3_000_000;
        hub.dropsLeft.set(1);

        Path snapshot = ModelSource.resolve(REPO, options()).folder();

        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors")),
                Files.readAllBytes(snapshot.resolve("model.safetensors")));
        List<FakeHub.Request> cdnGets = hub.requests().stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(2, cdnGets.size());
        assertEquals(null, cdnGets.get(0).range());
        assertEquals("bytes=3000000-", cdnGets.get(1).range());
    }

    @Test
    void stalledTransferIsAbandonedAfterTheTimeoutAndResumed() throws IOException {
        hub.dropAfterBytes = 2_000_000;
        hub.dropsLeft.set(1);
        hub.stallMillis = 5_000;
        HubOptions shortTimeout = new HubOptions(hub.endpoint(), null, cacheDir, false, DownloadListener.quiet(),
                ModelFiles.clip(), Duration.ofMillis(500));

        Path snapshot = ModelSource.resolve(REPO, shortTimeout).folder();

        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors")),
                Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals("bytes=2000000-",
                hub.requests().stream().filter(r -> r.server().equals("cdn")).toList().getLast().range());
    }

    @Test
    void partialDownloadIsKeptAfterAFailureAndResumedByTheNextRun() throws IOException {
        hub.dropAfterBytes = 1_000_000;
        hub.dropsLeft.set(5); // every attempt of the first run is cut off: 5 x 1 MB arrive

        assertThrows(ApertureException.class, () -> ModelSource.resolve(REPO, options()));
        Path partial = repoFolder().resolve("blobs").resolve(hub.etagOf("model.safetensors") + ".incomplete");
        assertEquals(5_000_000, Files.size(partial));
        assertFalse(Files.exists(repoFolder().resolve("refs").resolve("main")));

        Path snapshot = ModelSource.resolve(REPO, options()).folder();

        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors")),
                Files.readAllBytes(snapshot.resolve("model.safetensors")));
        FakeHub.Request last = hub.requests().stream().filter(r -> r.server().equals("cdn")).toList().getLast();
        assertEquals("bytes=5000000-", last.range());
        assertFalse(Files.exists(partial));
    }

    @Test
    void gatedModelAsksForHfToken() {
        hub.requiredToken = "secret-token";

        InputException error = assertThrows(InputException.class, () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains("HF_TOKEN"), error.getMessage());
        assertTrue(error.getMessage().contains("gated"), error.getMessage());
        assertFalse(Files.exists(repoFolder().resolve("refs").resolve("main")));
    }

    @Test
    void tokenIsSentToTheHubButNotToTheCdn() {
        hub.requiredToken = "secret-token";

        ModelSource.resolve(REPO, options().withToken("secret-token"));

        List<FakeHub.Request> requests = hub.requests();
        assertTrue(requests.stream().filter(r -> r.server().equals("hub"))
                .allMatch(r -> "Bearer secret-token".equals(r.authorization())));
        List<FakeHub.Request> cdn = requests.stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(1, cdn.size());
        assertEquals(null, cdn.getFirst().authorization());
    }

    @Test
    void missingRequiredFileNamesRepoRevisionAndFile() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "model.safetensors", "tokenizer.json");

        InputException error = assertThrows(InputException.class, () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains(REPO), error.getMessage());
        assertTrue(error.getMessage().contains("revision main"), error.getMessage());
        assertTrue(error.getMessage().contains("config.json"), error.getMessage());
    }

    @Test
    void missingOptionalFilesAreRecordedLikeHuggingfaceHub() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "config.json", "model.safetensors",
                "vocab.json", "merges.txt");

        Path snapshot = ModelSource.resolve(REPO, options()).folder();

        assertTrue(Files.isRegularFile(snapshot.resolve("vocab.json")));
        assertFalse(Files.exists(snapshot.resolve("tokenizer.json")));
        Path noExist = repoFolder().resolve(".no_exist").resolve(FakeHub.COMMIT);
        for (String absent : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "preprocessor_config.json")) {
            assertTrue(Files.isRegularFile(noExist.resolve(absent)), absent);
        }
    }

    @Test
    void filesKnownToBeAbsentUpstreamAreNotAskedForAgain() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "config.json", "model.safetensors",
                "vocab.json", "merges.txt");
        ModelSource.resolve(REPO, options());
        int requests = hub.requests().size();

        ModelSource.resolve(REPO, options());

        assertEquals(requests, hub.requests().size());
    }

    @Test
    void repoWithOnlyPickleWeightsAndNoConversionPullRequestGetsTheBin() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "config.json", "tokenizer.json");
        byte[] pickle = Files.readAllBytes(FakeHub.fixture("checkpoints/clip-tiny-bin/zip/pytorch_model.bin"));
        hub.put("pytorch_model.bin", pickle);

        ResolvedModel resolved = ModelSource.resolve(REPO, options());

        Path snapshot = repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT);
        assertEquals(snapshot.resolve("pytorch_model.bin"), resolved.weights());
        assertArrayEquals(pickle, Files.readAllBytes(resolved.weights()));
        assertTrue(hub.requests().stream().anyMatch(r -> r.path().endsWith("/discussions")),
                "the conversion pull request is looked for before falling back to the pickle");
    }

    @Test
    void shardedWeightsAreFetchedThroughTheirIndex() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "config.json", "tokenizer.json");
        hub.put("model.safetensors.index.json", """
                {"metadata": {"total_size": 6},
                 "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors",
                                "c": "model-00001-of-00002.safetensors"}}""".getBytes(StandardCharsets.UTF_8));
        hub.put("model-00001-of-00002.safetensors", new byte[] {1, 2, 3});
        hub.put("model-00002-of-00002.safetensors", new byte[] {4, 5, 6});

        ResolvedModel resolved = ModelSource.resolve(REPO, options());

        Path snapshot = resolved.folder();
        assertEquals(snapshot.resolve("model.safetensors.index.json"), resolved.weights());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(snapshot.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(snapshot.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.isRegularFile(snapshot.resolve("model.safetensors.index.json")));
    }

    @Test
    void shardIndexNamingAPathOutsideTheRepoIsRefused() throws IOException {
        hub.close();
        hub = FakeHub.serving(REPO, FakeHub.fixture("clip-tiny"), "config.json", "tokenizer.json");
        hub.put("model.safetensors.index.json",
                "{\"weight_map\": {\"a\": \"../../../evil.safetensors\"}}".getBytes(StandardCharsets.UTF_8));

        InputException error = assertThrows(InputException.class, () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains("../../../evil.safetensors"), error.getMessage());
        assertFalse(Files.exists(cacheDir.resolve("evil.safetensors")));
    }

    @Test
    void unreachableHubGivesAClearErrorSuggestingTheCache() {
        Path downloaded = ModelSource.resolve(REPO + "@" + FakeHub.COMMIT, options()).folder();
        hub.close();

        ApertureException error = assertThrows(ApertureException.class,
                () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains("cannot reach"), error.getMessage());
        assertTrue(error.getMessage().contains("--offline"), error.getMessage());
        assertTrue(error.getMessage().contains(downloaded.toString()), error.getMessage());
    }

    @Test
    void revisionPinnedToACommitNeedsNoRef() throws IOException {
        Path snapshot = ModelSource.resolve(REPO + "@" + FakeHub.COMMIT, options()).folder();

        assertEquals(repoFolder().resolve("snapshots").resolve(FakeHub.COMMIT), snapshot);
        assertFalse(Files.exists(repoFolder().resolve("refs")));
        assertTrue(hub.requests().stream().filter(r -> r.server().equals("hub"))
                .allMatch(r -> r.path().contains("/resolve/" + FakeHub.COMMIT + "/")));
    }

    @Test
    void unknownRevisionIsReportedAsSuch() {
        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(REPO + "@no-such-branch", options()));

        assertTrue(error.getMessage().contains("no-such-branch"), error.getMessage());
    }

    @Test
    void concurrentResolvesOfTheSameModelShareOneCacheWithoutCorruption() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> ModelSource.resolve(REPO, options()).folder()));
            }
            for (Future<Path> result : results) {
                Path snapshot = result.get();
                assertArrayEquals(Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors")),
                        Files.readAllBytes(snapshot.resolve("model.safetensors")));
            }
        } finally {
            pool.shutdownNow();
        }
        // The lock let one thread download the blob; the other found it done.
        assertEquals(1, hub.requests().stream().filter(r -> r.server().equals("cdn")).count());
        try (Stream<Path> blobs = Files.list(repoFolder().resolve("blobs"))) {
            assertTrue(blobs.noneMatch(path -> path.toString().endsWith(".incomplete")));
        }
    }
}
