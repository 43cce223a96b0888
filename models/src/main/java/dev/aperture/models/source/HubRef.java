package dev.aperture.models.source;

import dev.aperture.core.InputException;

import java.util.regex.Pattern;

/**
 * A model named the way transformers taught people to name them: {@code org/name} or {@code org/name@revision}
 * (a branch, a tag or a commit hash; {@code main} when absent). Legacy ids without an organisation ({@code gpt2})
 * are accepted too.
 *
 * <p>Both parts become paths inside the cache, so {@link #parse} refuses anything that could escape it:
 * {@code ..}, absolute paths, backslashes and empty components.
 *
 * @param repoId   the repository id, e.g. {@code openai/clip-vit-base-patch32}
 * @param revision the branch, tag or commit hash, e.g. {@code main}
 */
public record HubRef(String repoId, String revision) {

    /** The revision used when a reference names none. */
    public static final String DEFAULT_REVISION = "main";

    // Hugging Face's own rule (huggingface_hub validate_repo_id): word characters, '-' and '.', at most 96 chars.
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern REVISION_PART = Pattern.compile("[A-Za-z0-9_.\\-+]+");
    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");

    /** Validates both parts; see {@link #parse} for the rules. */
    public HubRef {
        checkRepoId(repoId);
        checkRevision(revision, repoId);
    }

    /**
     * Parses {@code org/name} or {@code org/name@revision}.
     *
     * @throws InputException if the id or revision is malformed or could escape the cache folder
     */
    public static HubRef parse(String modelRef) {
        if (modelRef == null || modelRef.isBlank()) {
            throw new InputException("model reference is empty: expected org/name or org/name@revision");
        }
        int at = modelRef.indexOf('@');
        if (at < 0) {
            return new HubRef(modelRef, DEFAULT_REVISION);
        }
        return new HubRef(modelRef.substring(0, at), modelRef.substring(at + 1));
    }

    /** True when the revision is already a full commit hash (then no refs/ entry is needed). */
    public boolean revisionIsCommit() {
        return isCommitHash(revision);
    }

    /** The cache folder huggingface_hub uses for this model: {@code models--org--name}. */
    public String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    /** {@code org/name@revision}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return repoId + "@" + revision;
    }

    static boolean isCommitHash(String text) {
        return text != null && COMMIT_HASH.matcher(text).matches();
    }

    private static void checkRepoId(String repoId) {
        if (repoId == null || repoId.isEmpty()) {
            throw new InputException("hub model id is empty: expected org/name");
        }
        String[] parts = repoId.split("/", -1);
        boolean valid = parts.length <= 2 && repoId.length() <= 96
                && !repoId.contains("--") && !repoId.contains("..");
        for (String part : parts) {
            valid &= REPO_PART.matcher(part).matches()
                    && !part.startsWith("-") && !part.startsWith(".")
                    && !part.endsWith("-") && !part.endsWith(".");
        }
        if (!valid) {
            throw new InputException("invalid hub model id '" + repoId + "': expected org/name made of letters,"
                    + " digits, '-', '_' and '.', without '..', '--', backslashes or empty parts"
                    + " (for a local folder, give a path that exists)");
        }
    }

    private static void checkRevision(String revision, String repoId) {
        boolean valid = revision != null && !revision.isEmpty() && revision.length() <= 255;
        if (valid) {
            // Branches may contain '/' (refs/pr/1): each component must be a plain name.
            for (String part : revision.split("/", -1)) {
                valid &= REVISION_PART.matcher(part).matches() && !part.equals(".") && !part.equals("..");
            }
        }
        if (!valid) {
            throw new InputException("invalid revision '" + revision + "' for hub model '" + repoId
                    + "': expected a branch, tag or commit hash without '..', backslashes or empty parts");
        }
    }
}
