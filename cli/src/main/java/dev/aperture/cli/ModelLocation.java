package dev.aperture.cli;

import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which model a command uses: a folder or a hub id, and whether the network may be used to fetch it. */
final class ModelLocation {
    @Option(names = "--model", defaultValue = ModelSource.DEFAULT_MODEL, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face hub id (downloaded once into the hub cache; "
                    + "default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--offline", description = "Use only the hub cache, never the network (also HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--quiet", description = "No download progress bars.")
    boolean quiet;

    /** The local folder holding the model's files, downloading them first when --model is a hub id. */
    Path resolveFolder() {
        return ModelSource.resolve(model, hubOptions());
    }

    private HubOptions hubOptions() {
        HubOptions options = HubOptions.fromEnvironment();
        options = options.withOffline(options.offline() || offline);  // HF_HUB_OFFLINE=1 holds without --offline
        return quiet ? options.quiet() : options;
    }
}
