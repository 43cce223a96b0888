package dev.aperture.models.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.ApertureException;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a usable conversion pull request (only the decoys of {@link Patch32LikeHub}, discussions disabled, a
 * hostile listing) the revision's own pytorch_model.bin, or its sharded form, is fetched and loaded: it is
 * clip-tiny's weights, read by the weights-only unpickler.
 */
class BinFallbackTest {

    @TempDir
    Path cacheDir;
    Patch32LikeHub patch32;
    FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        patch32 = Patch32LikeHub.start(false);
        hub = patch32.hub();
    }

    @AfterEach
    void stopHub() {
        patch32.close();
    }

    HubOptions options() {
        return new HubOptions(hub.endpoint(), null, cacheDir, false, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(5));
    }

    Path mainSnapshot() {
        return cacheDir.resolve(Patch32LikeHub.FOLDER).resolve("snapshots").resolve(FakeHub.COMMIT);
    }

    long discussionPages() {
        return hub.requests().stream().filter(r -> r.path().endsWith("/discussions")).count();
    }

    @Test
    void withOnlyDecoysTheBinIsFetchedAndGivesTheGoldenEmbeddings() throws IOException {
        ResolvedModel resolved = ModelSource.resolve(Patch32LikeHub.REPO, options());

        assertEquals(mainSnapshot().resolve("pytorch_model.bin"), resolved.weights());
        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("checkpoints/clip-tiny-bin/zip/pytorch_model.bin")),
                Files.readAllBytes(resolved.weights()));
        ClipTinyGoldens.assertEmbeddingsMatch(resolved);
    }

    @Test
    void withOnlyDecoysNoPullRequestFileIsRequested() {
        ModelSource.resolve(Patch32LikeHub.REPO, options());

        assertTrue(hub.requests().stream().noneMatch(r -> r.path().contains("/resolve/refs%2Fpr%2F")));
        List<FakeHub.Request> cdn = hub.requests().stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(List.of("/blobs/" + hub.etagOf("pytorch_model.bin")), cdn.stream().map(FakeHub.Request::path)
                .toList());
    }

    @Test
    void listenerIsNotToldOfAPullRequest() {
        ConversionPullRequestTest.RecordingListener listener = new ConversionPullRequestTest.RecordingListener();

        ModelSource.resolve(Patch32LikeHub.REPO, options().withListener(listener));

        assertEquals(List.of(), listener.told);
    }

    @Test
    void absenceOfAConversionIsRecordedSoTheNextResolveMakesNoRequest() throws IOException {
        ResolvedModel first = ModelSource.resolve(Patch32LikeHub.REPO, options());
        int requests = hub.requests().size();

        assertEquals(first, ModelSource.resolve(Patch32LikeHub.REPO, options()));

        assertEquals(requests, hub.requests().size());
        Path record = cacheDir.resolve(Patch32LikeHub.FOLDER).resolve(".aperture/conversion-prs")
                .resolve(FakeHub.COMMIT);
        assertTrue(new ObjectMapper().readTree(record.toFile()).get("pull_request").isNull());
    }

    @Test
    void disabledDiscussionsMeanNoPullRequest() throws IOException {
        patch32.close();
        patch32 = Patch32LikeHub.start(true);
        hub = patch32.hub();
        hub.discussionsStatus = 403;

        ResolvedModel resolved = ModelSource.resolve(Patch32LikeHub.REPO, options());

        assertEquals(mainSnapshot().resolve("pytorch_model.bin"), resolved.weights());
    }

    @Test
    void endlessDiscussionListingIsReadForAtMostMaxPages() {
        hub.repeatFirstPage = true;
        hub.claimedDiscussionCount = Long.MAX_VALUE;

        ResolvedModel resolved = ModelSource.resolve(Patch32LikeHub.REPO, options());

        assertEquals(mainSnapshot().resolve("pytorch_model.bin"), resolved.weights());
        assertEquals(ConversionPullRequests.MAX_PAGES, discussionPages());
    }

    @Test
    void endlessCandidatesHaveTheirCommitsListedAtMostMaxCandidatesTimes() {
        hub.repeatFirstPage = true;
        hub.claimedDiscussionCount = Long.MAX_VALUE;
        hub.discussionsPerPage = 3; // #60 closed, #61 by someone else, #62 the bot's, on an older commit

        ModelSource.resolve(Patch32LikeHub.REPO, options());

        long pullRequestCommitLists = hub.requests().stream()
                .filter(r -> r.path().contains("/commits/refs%2Fpr%2F")).count();
        assertEquals(ConversionPullRequests.MAX_CANDIDATES, pullRequestCommitLists);
    }

    @Test
    void oversizedDiscussionsAnswerIsRefusedNamingItsUrl() {
        hub.discussionsPaddingBytes = (int) HubClient.MAX_API_ANSWER_BYTES + 1;

        ApertureException error = assertThrows(ApertureException.class,
                () -> ModelSource.resolve(Patch32LikeHub.REPO, options()));

        assertTrue(error.getMessage().contains("/discussions?p=0"), error.getMessage());
        assertTrue(error.getMessage().contains("larger than " + HubClient.MAX_API_ANSWER_BYTES), error.getMessage());
    }

    @Test
    void shardedBinIsFetchedThroughItsIndexAndGivesTheGoldenEmbeddings() throws IOException {
        Path sharded = FakeHub.fixture("checkpoints/clip-tiny-bin/sharded");
        List<String> shards = List.of("pytorch_model-00001-of-00003.bin", "pytorch_model-00002-of-00003.bin",
                "pytorch_model-00003-of-00003.bin");
        hub.main().files.remove("pytorch_model.bin");
        hub.main().putFrom(sharded, "pytorch_model.bin.index.json").putFrom(sharded, shards.toArray(String[]::new));

        ResolvedModel resolved = ModelSource.resolve(Patch32LikeHub.REPO, options());

        assertEquals(mainSnapshot().resolve("pytorch_model.bin.index.json"), resolved.weights());
        for (String shard : shards) {
            assertArrayEquals(Files.readAllBytes(sharded.resolve(shard)),
                    Files.readAllBytes(mainSnapshot().resolve(shard)), shard);
        }
        ClipTinyGoldens.assertEmbeddingsMatch(resolved);
    }

    @Test
    void pickleIndexListingAShardOfAnotherKindIsRefused() {
        hub.main().files.remove("pytorch_model.bin");
        hub.main().put("pytorch_model.bin.index.json",
                "{\"weight_map\": {\"a\": \"model-00001-of-00001.safetensors\"}}".getBytes(StandardCharsets.UTF_8));

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(Patch32LikeHub.REPO, options()));

        assertTrue(error.getMessage().contains("model-00001-of-00001.safetensors"), error.getMessage());
        assertTrue(error.getMessage().contains(".bin"), error.getMessage());
    }
}
