package dev.aperture.models.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fake hub serving a repository laid out like openai/clip-vit-base-patch32 today, with clip-tiny's files: main
 * has config, tokenizer and preprocessor files and only pytorch_model.bin (clip-tiny re-saved by torch.save), no
 * safetensors. In its discussions, two a page, come first decoys whose weights differ from clip-tiny's and must
 * never be used: #60 a closed conversion, #61 a same-title pull request by someone else (on main's head), #62 an
 * open conversion of an older commit, #63 a discussion with the bot's title that is no pull request. Then, on the
 * third page when asked for, #66: the bot's open conversion of main's head, with clip-tiny's model.safetensors.
 *
 * @param hub          the fake hub
 * @param safetensors  the right weights: clip-tiny's model.safetensors
 * @param decoyWeights the decoys' model.safetensors, in the order #60, #61, #62
 */
record Patch32LikeHub(FakeHub hub, byte[] safetensors, List<byte[]> decoyWeights) implements AutoCloseable {

    static final String REPO = "openai/clip-vit-base-patch32";
    static final String FOLDER = "models--openai--clip-vit-base-patch32";
    static final int NUMBER = 66;
    static final String PR_COMMIT = "6666666666666666666666666666666666666666";
    static final List<Integer> DECOYS = List.of(60, 61, 62);
    static final List<String> SMALL_FILES = List.of("config.json", "tokenizer.json", "vocab.json", "merges.txt",
            "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json");

    /** The hub with the decoys, and with #66 when {@code withConversion}. */
    static Patch32LikeHub start(boolean withConversion) throws IOException {
        Path tiny = FakeHub.fixture("clip-tiny");
        byte[] safetensors = Files.readAllBytes(tiny.resolve("model.safetensors"));
        byte[] altered = safetensors.clone();
        altered[altered.length - 1] ^= 0x01; // one weight changed: other weights, still a valid file
        List<byte[]> decoys = List.of(Files.readAllBytes(tiny.resolve("model.fp16.safetensors")),
                Files.readAllBytes(tiny.resolve("model.bf16.safetensors")), altered);
        FakeHub hub = new FakeHub(REPO);
        putMainsFiles(hub.main());
        hub.discussionsPerPage = 2;
        hub.addPullRequest(60, ConversionPullRequest.AUTHOR, "closed", decoyCommit(60), FakeHub.COMMIT)
                .put("model.safetensors", decoys.get(0));
        hub.addPullRequest(61, "someone-else", "open", decoyCommit(61), FakeHub.COMMIT)
                .put("model.safetensors", decoys.get(1));
        hub.addPullRequest(62, ConversionPullRequest.AUTHOR, "open", decoyCommit(62), FakeHub.PARENT_COMMIT)
                .put("model.safetensors", decoys.get(2));
        hub.addDiscussion(63, ConversionPullRequest.TITLE, ConversionPullRequest.AUTHOR);
        if (withConversion) {
            // As on the hub, the pull request's branch holds all of main's files too, and the converted weights.
            putMainsFiles(hub.addPullRequest(NUMBER, ConversionPullRequest.AUTHOR, "open", PR_COMMIT, FakeHub.COMMIT))
                    .put("model.safetensors", safetensors);
        }
        return new Patch32LikeHub(hub, safetensors, decoys);
    }

    /** The head commit of decoy pull request {@code number}: its number repeated, "6060...60" for #60. */
    static String decoyCommit(int number) {
        return String.valueOf(number).repeat(20);
    }

    private static FakeHub.Revision putMainsFiles(FakeHub.Revision revision) throws IOException {
        return revision.putFrom(FakeHub.fixture("clip-tiny"), SMALL_FILES.toArray(String[]::new))
                .putFrom(FakeHub.fixture("checkpoints/clip-tiny-bin/zip"), "pytorch_model.bin");
    }

    @Override
    public void close() {
        hub.close();
    }
}
