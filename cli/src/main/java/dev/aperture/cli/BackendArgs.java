package dev.aperture.cli;

import dev.aperture.core.backend.BackendProviders;
import dev.aperture.models.ModelOptions;
import picocli.CommandLine.Option;

import java.util.Iterator;

/** Where a model runs: the compute backend and its CPU threads. */
final class BackendArgs {
    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME", completionCandidates = InstalledNames.class,
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads (default: one per processor).")
    int threads;

    /** The defaults with this backend and thread count. */
    ModelOptions options() {
        return ModelOptions.defaults().withBackend(backend).withThreads(threads);
    }

    /** The installed backends' names and {@code auto}, as the help lists them: whatever is on the class path. */
    static final class InstalledNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return BackendProviders.names().iterator();
        }
    }
}
