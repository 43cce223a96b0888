package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which model a command uses: a folder or a hub id, and whether the network may be used to fetch it. */
final class ModelLocation {
    @Option(names = "--model", defaultValue = ModelSource.DEFAULT_MODEL, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face hub id (downloaded once into the hub cache; "
                    + "default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    HubAccess hub;

    /**
     * The BERT sentence-embedding model {@code --model} names: a folder or an {@code .onnx} file on disk (with
     * {@code tokenizerJson}, or null for the tokenizer.json beside it), else a hub id.
     */
    TextEmbedder loadTextEmbedder(Path tokenizerJson, ModelOptions options) {
        if (Files.exists(Path.of(model))) {
            return TextEmbedder.load(Path.of(model), tokenizerJson, options);
        }
        return TextEmbedder.load(model, options, hub.hubOptions());
    }

    /** Where the model's files are, downloading them first when --model is a hub id. */
    ResolvedModel resolve() {
        return ModelSource.resolve(model, hub.hubOptions());
    }

    /** As {@link #resolve()}, fetching the files another model family needs. */
    ResolvedModel resolve(ModelFiles files) {
        return ModelSource.resolve(model, hub.hubOptions().withFiles(files));
    }
}
