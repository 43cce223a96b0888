package dev.aperture.models.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How complete a cached snapshot is for a file set, judged without the network.
 *
 * @param missing  files (or groups) the model cannot do without and the snapshot lacks: empty when usable
 * @param unknown  files wanted if they exist that are neither in the snapshot nor marked in .no_exist as absent
 *                 upstream: only the hub can say whether they exist
 */
record SnapshotCheck(List<String> missing, Set<String> unknown) {

    /** Usable, and every wanted file is accounted for: no reason to ask the hub anything. */
    boolean complete() {
        return missing.isEmpty() && unknown.isEmpty();
    }

    /** Checks snapshots/&lt;commit&gt; against {@code files}; pickle files there are ignored (the hub may have safetensors). */
    static SnapshotCheck of(HubCache cache, String commit, HubRef ref, ModelFiles files) {
        Set<String> unknown = new TreeSet<>();
        FileFetcher snapshot = new FileFetcher() {
            @Override
            public Optional<Path> fetch(String fileName) {
                Optional<Path> cached = cache.cachedFile(commit, fileName);
                if (cached.isEmpty() && !cache.isMarkedMissing(commit, fileName)) {
                    unknown.add(fileName);
                }
                return cached;
            }

            @Override
            public boolean exists(String fileName) {
                return false;
            }
        };
        List<String> missing = files.collect(snapshot, "cached " + ref);
        return new SnapshotCheck(missing, Set.copyOf(unknown));
    }
}
