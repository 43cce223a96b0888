package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.ApertureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A repository laid out like openai/clip-vit-base-patch32 today ({@link Patch32LikeHub}): main has only
 * pytorch_model.bin, and the hub's conversion bot opened refs/pr/66 with model.safetensors on main's head, listed
 * after decoys that must never be used. The weights come from that pull request, and stay findable offline.
 */
@Tag("slow")
class ConversionPullRequestTest {

    // Port 9 on loopback (discard) has no listener in the test environment: any request would fail to connect.
    static final URI NO_NETWORK = URI.create("http://127.0.0.1:9");
    static final String REPO = Patch32LikeHub.REPO;
    static final String PR_COMMIT = Patch32LikeHub.PR_COMMIT;

    @TempDir
    Path cacheDir;
    Patch32LikeHub patch32;
    FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        patch32 = Patch32LikeHub.start(true);
        hub = patch32.hub();
    }

    @AfterEach
    void stopHub() {
        patch32.close();
    }

    HubOptions options(URI endpoint) {
        return new HubOptions(endpoint, null, cacheDir, false, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(5));
    }

    HubOptions options() {
        return options(hub.endpoint());
    }

    Path repoFolder() {
        return cacheDir.resolve(Patch32LikeHub.FOLDER);
    }

    Path snapshot(String commit) {
        return repoFolder().resolve("snapshots").resolve(commit);
    }

    /** Every file (not folder) under {@code folder}, relative, '/'-separated, sorted. */
    static Set<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            TreeSet<String> files = new TreeSet<>();
            paths.filter(path -> !Files.isDirectory(path))
                    .forEach(path -> files.add(folder.relativize(path).toString().replace('\\', '/')));
            return files;
        }
    }

    /** Records which conversion pull requests the listener was told about. */
    static final class RecordingListener implements DownloadListener {
        final List<String> told = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(String fileName, long totalBytes, long resumedAt) {
        }

        @Override
        public void progressed(String fileName, long bytesDone) {
        }

        @Override
        public void finished(String fileName) {
        }

        @Override
        public void weightsFromConversionPullRequest(HubRef model, ConversionPullRequest pullRequest) {
            told.add(model + " " + pullRequest.revision() + " " + pullRequest.commit());
        }
    }

    @Test
    void weightsComeFromTheOpenConversionPullRequestOnMainsHead() throws IOException {
        ResolvedModel resolved = ModelSource.resolve(REPO, options());

        assertEquals(snapshot(FakeHub.COMMIT), resolved.folder());
        assertEquals(snapshot(PR_COMMIT).resolve("model.safetensors"), resolved.weights());
        assertArrayEquals(patch32.safetensors(), Files.readAllBytes(resolved.weights()));
    }

    @Test
    void pullRequestWeightsGiveTheGoldenEmbeddings() {
        ClipTinyGoldens.assertEmbeddingsMatch(ModelSource.resolve(REPO, options()));
    }

    @Test
    void decoysAndTheBinAreNeverDownloaded() {
        ModelSource.resolve(REPO, options());

        List<FakeHub.Request> requests = hub.requests();
        for (int decoy : Patch32LikeHub.DECOYS) {
            String commit = Patch32LikeHub.decoyCommit(decoy);
            assertTrue(requests.stream().noneMatch(r -> r.path().contains("/resolve/refs%2Fpr%2F" + decoy + "/")
                    || r.path().contains("/resolve/" + commit + "/")), "files of decoy #" + decoy + " requested");
        }
        for (byte[] decoy : patch32.decoyWeights()) {
            String blob = "/blobs/" + FakeHub.etagOf("model.safetensors", decoy);
            assertTrue(requests.stream().noneMatch(r -> r.path().equals(blob)), "decoy weights downloaded");
        }
        assertTrue(requests.stream().noneMatch(r -> r.path().endsWith(".bin")), "pytorch_model.bin requested");
        assertEquals(1, requests.stream().filter(r -> r.server().equals("cdn")).count());
    }

    @Test
    void onlyCandidatesHaveTheirCommitsListed() {
        ModelSource.resolve(REPO, options());

        List<String> commitLists = hub.requests().stream().map(FakeHub.Request::path)
                .filter(path -> path.contains("/commits/")).toList();
        // main's head once, then each open bot conversion: the stale one (on an older commit), then the right one.
        assertEquals(List.of("/api/models/" + REPO + "/commits/main",
                "/api/models/" + REPO + "/commits/refs%2Fpr%2F62",
                "/api/models/" + REPO + "/commits/refs%2Fpr%2F66"), commitLists);
    }

    @Test
    void discussionsAreReadPageByPageUntilTheConversionIsFound() {
        ModelSource.resolve(REPO, options());

        List<String> pages = hub.requests().stream().filter(r -> r.path().endsWith("/discussions"))
                .map(FakeHub.Request::query).toList();
        assertEquals(List.of("p=0", "p=1", "p=2"), pages);
    }

    @Test
    void cacheHoldsBothRevisionsAsHuggingfaceHubLaysThemOut() throws IOException {
        ModelSource.resolve(REPO, options());

        assertEquals(Set.of("main", "refs/pr/66"), filesUnder(repoFolder().resolve("refs")));
        assertEquals(FakeHub.COMMIT, Files.readString(repoFolder().resolve("refs/main"), StandardCharsets.UTF_8));
        assertEquals(PR_COMMIT, Files.readString(repoFolder().resolve("refs/refs/pr/66"), StandardCharsets.UTF_8));
        assertEquals(Set.of("model.safetensors"), filesUnder(snapshot(PR_COMMIT)));
        Path link = snapshot(PR_COMMIT).resolve("model.safetensors");
        assertEquals(Path.of("..", "..", "blobs", FakeHub.etagOf("model.safetensors", patch32.safetensors())),
                Files.readSymbolicLink(link));
        assertEquals(new TreeSet<>(Patch32LikeHub.SMALL_FILES), filesUnder(snapshot(FakeHub.COMMIT)));
        Path noExist = repoFolder().resolve(".no_exist").resolve(FakeHub.COMMIT);
        assertTrue(Files.isRegularFile(noExist.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(noExist.resolve("model.safetensors.index.json")));
    }

    @Test
    void apertureRecordsWhichPullRequestServesTheCommitOutsideHuggingfaceHubsFolders() throws IOException {
        ModelSource.resolve(REPO, options());

        Path record = repoFolder().resolve(".aperture/conversion-prs").resolve(FakeHub.COMMIT);
        JsonNode content = new ObjectMapper().readTree(record.toFile());
        assertEquals(Patch32LikeHub.NUMBER, content.get("pull_request").asInt());
        assertEquals(PR_COMMIT, content.get("commit").asText());
    }

    @Test
    void offlineModeFindsThePullRequestWeightsWithoutTheNetwork() {
        ResolvedModel downloaded = ModelSource.resolve(REPO, options());

        ResolvedModel offline = ModelSource.resolve(REPO, options(NO_NETWORK).withOffline(true));

        assertEquals(downloaded, offline);
    }

    @Test
    void completeCacheIsUsedWithoutAnyRequest() {
        ResolvedModel downloaded = ModelSource.resolve(REPO, options());
        int requests = hub.requests().size();

        assertEquals(downloaded, ModelSource.resolve(REPO, options()));
        assertEquals(requests, hub.requests().size());
        assertEquals(downloaded, ModelSource.resolve(REPO, options(NO_NETWORK)));
    }

    @Test
    void listenerIsToldOncePerResolveWhichPullRequestTheWeightsCameFrom() {
        RecordingListener listener = new RecordingListener();
        String expected = REPO + "@main refs/pr/66 " + PR_COMMIT;

        ModelSource.resolve(REPO, options().withListener(listener));
        assertEquals(List.of(expected), listener.told);

        ModelSource.resolve(REPO, options(NO_NETWORK).withOffline(true).withListener(listener));
        assertEquals(List.of(expected, expected), listener.told);
    }

    @Test
    void tokenIsSentToTheHubsApiButNotToTheCdn() {
        hub.requiredToken = "secret-token";

        ModelSource.resolve(REPO, options().withToken("secret-token"));

        List<FakeHub.Request> requests = hub.requests();
        assertTrue(requests.stream().anyMatch(r -> r.path().startsWith("/api/")));
        assertTrue(requests.stream().filter(r -> r.server().equals("hub"))
                .allMatch(r -> "Bearer secret-token".equals(r.authorization())));
        assertTrue(requests.stream().filter(r -> r.server().equals("cdn")).allMatch(r -> r.authorization() == null));
    }

    @Test
    void mainThatMovedWhileResolvingIsAnErrorNamingBothCommits() {
        String newer = "7777777777777777777777777777777777777777";
        hub.listedHeads.put("main", newer);

        ApertureException error = assertThrows(ApertureException.class, () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains(FakeHub.COMMIT) && error.getMessage().contains(newer),
                error.getMessage());
        assertFalse(Files.exists(repoFolder().resolve("refs/main")));
    }

    @Test
    void pullRequestThatMovedAfterItsCommitsWereListedIsAnError() {
        hub.listedHeads.put("refs/pr/66", "8888888888888888888888888888888888888888");

        ApertureException error = assertThrows(ApertureException.class, () -> ModelSource.resolve(REPO, options()));

        assertTrue(error.getMessage().contains("refs/pr/66") && error.getMessage().contains(PR_COMMIT),
                error.getMessage());
        assertTrue(hub.requests().stream().noneMatch(r -> r.server().equals("cdn")));
    }

    @Test
    void revisionPinnedToMainsCommitGetsTheSameConversion() {
        ResolvedModel resolved = ModelSource.resolve(REPO + "@" + FakeHub.COMMIT, options());

        assertEquals(snapshot(PR_COMMIT).resolve("model.safetensors"), resolved.weights());
        assertFalse(Files.exists(repoFolder().resolve("refs/main")));
    }

    @Test
    void revisionWithItsOwnSafetensorsNeverListsDiscussions() {
        hub.put("model.safetensors", patch32.safetensors());

        ResolvedModel resolved = ModelSource.resolve(REPO, options());

        assertEquals(snapshot(FakeHub.COMMIT).resolve("model.safetensors"), resolved.weights());
        assertTrue(hub.requests().stream().noneMatch(r -> r.path().startsWith("/api/")));
    }
}
