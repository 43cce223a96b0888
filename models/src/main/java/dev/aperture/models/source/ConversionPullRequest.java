package dev.aperture.models.source;

/**
 * The hub's safetensors conversion of one commit: a pull request that Hugging Face's conversion bot opened with
 * {@code model.safetensors} (or its sharded form) converted from that commit's {@code pytorch_model.bin}. This is
 * where transformers gets safetensors for repositories that never added them, such as
 * {@code openai/clip-vit-base-patch32} (refs/pr/66).
 *
 * @param number the pull request's number: its files are at revision {@code refs/pr/<number>}
 * @param commit the pull request's head commit, whose snapshot holds its files in the cache
 */
public record ConversionPullRequest(int number, String commit) {

    /** The only author whose pull requests are trusted to hold a conversion (transformers' rule). */
    public static final String AUTHOR = "SFconvertbot";

    /** The title the bot gives every conversion pull request. */
    public static final String TITLE = "Adding `safetensors` variant of this model";

    /** Rejects what could not name a revision or a snapshot folder. */
    public ConversionPullRequest {
        if (number <= 0 || !HubRef.isCommitHash(commit)) {
            throw new IllegalArgumentException("a conversion pull request needs a positive number and a commit"
                    + " hash, got " + number + " and " + commit);
        }
    }

    /** The revision its files are fetched from: {@code refs/pr/<number>}. */
    public String revision() {
        return "refs/pr/" + number;
    }
}
