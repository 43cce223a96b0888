package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import picocli.CommandLine.Option;

/** Where a model runs: the compute backend and its CPU threads. */
final class BackendArgs {
    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "Compute backend: cpu, opencl or auto (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads (default: one per processor).")
    int threads;

    /** The defaults with this backend and thread count. */
    ModelOptions options() {
        return ModelOptions.defaults().withBackend(backend).withThreads(threads);
    }
}
