package dev.aperture.models.source;

import dev.aperture.core.ApertureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches files of one hub model into the cache. The first HEAD resolves the revision to a commit; every later
 * request asks for that commit, so a branch that moves during the download cannot mix two versions.
 * A file already in the snapshot costs one HEAD and no GET; a blob shared with another snapshot is only linked.
 * Asked for the revision's conversion pull request, it looks it up ({@link ConversionPullRequests}), records the
 * answer in the cache for offline use, and gives a fetcher of that pull request's files pinned to its head commit.
 */
final class HubFetcher implements FileFetcher {

    private final HubRef ref;
    private final HubCache cache;
    private final HubClient client;
    private final BlobDownloader downloader;
    private final String expectedCommit;
    private String commit;

    HubFetcher(HubRef ref, HubCache cache, HubClient client, BlobDownloader downloader) {
        this(ref, cache, client, downloader, null);
    }

    /** {@code expectedCommit}, when not null, is the commit the revision must resolve to (else it moved). */
    private HubFetcher(HubRef ref, HubCache cache, HubClient client, BlobDownloader downloader,
                       String expectedCommit) {
        this.ref = ref;
        this.cache = cache;
        this.client = client;
        this.downloader = downloader;
        this.expectedCommit = expectedCommit;
    }

    /** The commit the revision resolved to, null before the first answer that named one. */
    String commit() {
        return commit;
    }

    @Override
    public Optional<Path> fetch(String fileName) {
        RemoteFile remote = head(fileName);
        if (!remote.exists()) {
            if (commit != null) {
                cache.markMissing(commit, fileName);
            }
            return Optional.empty();
        }
        Optional<Path> cached = cache.cachedFile(commit, fileName);
        if (cached.isPresent() && isCurrent(cached.get(), cache.blob(remote.etag()))) {
            return cached;
        }
        downloader.ensureBlob(remote);
        return Optional.of(cache.linkSnapshot(commit, fileName, remote.etag()));
    }

    /** Looked up only once the revision resolved to a commit: the pull request must be on that commit. */
    @Override
    public Optional<PullRequestFiles> conversionPullRequest() {
        if (commit == null) {
            return Optional.empty();
        }
        Optional<ConversionPullRequest> found = ConversionPullRequests.find(client, ref, commit);
        cache.recordConversionPullRequest(commit, found);
        return found.map(pullRequest -> new PullRequestFiles(pullRequest, new HubFetcher(
                new HubRef(ref.repoId(), pullRequest.revision()), cache, client, downloader, pullRequest.commit())));
    }

    private RemoteFile head(String fileName) {
        RemoteFile remote = client.head(ref, commit != null ? commit : ref.revision(), fileName);
        if (remote.commit() != null) {
            if (commit == null) {
                requireExpected(remote.commit(), fileName);
                commit = remote.commit();
            } else if (!commit.equals(remote.commit())) {
                throw new ApertureException("the hub answered for commit " + remote.commit() + " when asked for "
                        + commit + " ('" + fileName + "' of " + ref.repoId() + ")");
            }
        }
        return remote;
    }

    private void requireExpected(String answered, String fileName) {
        if (expectedCommit != null && !expectedCommit.equals(answered)) {
            throw new ApertureException("revision '" + ref.revision() + "' of hub model " + ref.repoId()
                    + " moved while it was being resolved: its commit list named " + expectedCommit + ", but '"
                    + fileName + "' was answered for commit " + answered + "; run again");
        }
    }

    /** A snapshot entry is current when it resolves to the blob the hub names (a link or a same-size copy). */
    private static boolean isCurrent(Path entry, Path blob) {
        try {
            return Files.isRegularFile(blob) && (Files.isSameFile(entry, blob)
                    || (!Files.isSymbolicLink(entry) && Files.size(entry) == Files.size(blob)));
        } catch (IOException e) {
            return false;
        }
    }
}
