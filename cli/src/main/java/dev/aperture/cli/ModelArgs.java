package dev.aperture.cli;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
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

    /** The CLIP or SigLIP model {@code --model} names (config.json's {@code model_type} says which). */
    ImageTextModel loadImageTextModel() {
        return ImageTextModel.load(location.model, options(), location.hub.hubOptions());
    }
}
