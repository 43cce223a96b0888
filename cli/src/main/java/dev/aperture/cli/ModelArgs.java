package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every model-running command shares: which model ({@link ModelLocation}), backend, threads, batch. */
final class ModelArgs {
    @Mixin
    ModelLocation location;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "Compute backend: cpu, opencl or auto (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads (default: one per processor).")
    int threads;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Inputs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    ClipModel loadClip() {
        ModelOptions options = ModelOptions.defaults().withBackend(backend).withThreads(threads).withBatchSize(batchSize);
        return ClipModel.load(location.resolveFolder(), options);
    }
}
