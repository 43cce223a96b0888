package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every model-running command shares: which model ({@link ModelLocation}), backend, threads, batch. */
final class ModelArgs {
    @Mixin
    ModelLocation location;

    @Mixin
    BackendArgs backendArgs;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Inputs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    ModelOptions options() {
        return backendArgs.options().withBatchSize(batchSize);
    }

    ClipModel loadClip() {
        return ClipModel.load(location.resolve(), options());
    }
}
