package dev.aperture.models.source;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How complete a cached snapshot is for a file set, judged without the network. The weights are looked for in the
 * same order as on the hub ({@link WeightsPreference}): the conversion pull request's weights are found through
 * Aperture's record for the commit ({@link HubCache#conversionRecord}), in that pull request's own snapshot.
 *
 * @param files    what the snapshot has: {@code missing()} lists what the model cannot do without (empty when
 *                 usable), {@code weights()} the weights it would be loaded from
 * @param unknown  what is wanted if it exists and that the cache cannot answer for (a file neither in the snapshot
 *                 nor marked in .no_exist as absent upstream, a conversion pull request never looked up): only the
 *                 hub can say
 */
record SnapshotCheck(ModelFiles.Collected files, Set<String> unknown) {

    /** Usable, and every wanted file is accounted for: no reason to ask the hub anything. */
    boolean complete() {
        return files.missing().isEmpty() && unknown.isEmpty();
    }

    /** Checks snapshots/&lt;commit&gt; against {@code files}. */
    static SnapshotCheck of(HubCache cache, String commit, HubRef ref, ModelFiles files) {
        Set<String> unknown = new TreeSet<>();
        ModelFiles.Collected collected = files.collect(new Snapshot(cache, commit, unknown), "cached " + ref);
        return new SnapshotCheck(collected, Set.copyOf(unknown));
    }

    /** The files of one cached snapshot; notes in {@code unknown} what the cache cannot answer for. */
    private record Snapshot(HubCache cache, String commit, Set<String> unknown) implements FileFetcher {

        @Override
        public Optional<Path> fetch(String fileName) {
            Optional<Path> cached = cache.cachedFile(commit, fileName);
            if (cached.isEmpty() && !cache.isMarkedMissing(commit, fileName)) {
                unknown.add(fileName);
            }
            return cached;
        }

        @Override
        public Optional<PullRequestFiles> conversionPullRequest() {
            if (!cache.hasConversionRecord(commit)) {
                unknown.add("the conversion pull request of commit " + commit);
                return Optional.empty();
            }
            return cache.recordedConversionPullRequest(commit).map(pullRequest -> new PullRequestFiles(pullRequest,
                    new Snapshot(cache, pullRequest.commit(), unknown)));
        }
    }
}
