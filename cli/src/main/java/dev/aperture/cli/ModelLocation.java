package dev.aperture.cli;

import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import picocli.CommandLine.Option;

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

    /** Where the model's files are, downloading them first when --model is a hub id. */
    ResolvedModel resolve() {
        return ModelSource.resolve(model, hubOptions());
    }

    private HubOptions hubOptions() {
        HubOptions options = HubOptions.fromEnvironment();
        options = options.withOffline(options.offline() || offline);  // HF_HUB_OFFLINE=1 holds without --offline
        return quiet ? options.quiet() : options;
    }
}
