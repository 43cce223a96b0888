package dev.aperture.models.source;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@link ModelFiles#collect} gets files from: a local folder, a cached snapshot, or the hub (downloading
 * into the cache). One interface so that the rules for which files a model needs are written once.
 */
interface FileFetcher {

    /** The local copy of {@code fileName}, fetching it if needed; empty when this source does not have it. */
    Optional<Path> fetch(String fileName);

    /**
     * The safetensors conversion pull request of this revision and where its files come from; asked only when the
     * revision has no safetensors weights of its own. Empty when there is none, or when this source cannot have one
     * (a local folder).
     */
    default Optional<PullRequestFiles> conversionPullRequest() {
        return Optional.empty();
    }

    /** A conversion pull request, and the source of its files (its own commit's snapshot). */
    record PullRequestFiles(ConversionPullRequest pullRequest, FileFetcher files) {
    }
}
