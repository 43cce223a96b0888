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

    @Option(names = "--ignore-exif-orientation",
            description = "Embed images as stored, ignoring their EXIF orientation (default: turn them upright, "
                    + "as transformers' load_image does).")
    boolean ignoreExifOrientation;

    ModelOptions options() {
        ModelOptions options = backendArgs.options().withBatchSize(batchSize);
        if (ignoreExifOrientation) {
            var limits = options.limits();
            options = options.withLimits(limits.withImages(limits.images().withExifOrientation(false)));
        }
        return options;
    }

    /** The CLIP or SigLIP model {@code --model} names (config.json's {@code model_type} says which). */
    ImageTextModel loadImageTextModel() {
        return ImageTextModel.load(location.model, options(), location.hub.hubOptions());
    }
}
