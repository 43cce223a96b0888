package dev.aperture.cli;

import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which model a command uses: a folder or a hub id, and whether the network may be used to fetch it. */
final class ModelLocation {
    @Option(names = "--model", defaultValue = ModelSource.DEFAULT_MODEL, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face hub id (downloaded once into the hub cache; "
                    + "default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    HubAccess hub;

    /** Where the model's files are, downloading them first when --model is a hub id. */
    ResolvedModel resolve() {
        return ModelSource.resolve(model, hub.hubOptions());
    }

    /** As {@link #resolve()}, fetching the files another model family needs. */
    ResolvedModel resolve(ModelFiles files) {
        return ModelSource.resolve(model, hub.hubOptions().withFiles(files));
    }
}
