package dev.aperture.models.convert;

import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files beside the weights that make a folder a loadable model, carried over by a conversion: transformers'
 * config, tokenizer and preprocessor files, and sentence-transformers' module files. Weights of any other form (ONNX,
 * TensorFlow, Flax) are not among them: the converted folder holds one set of weights, the one verified.
 */
final class ModelFolderFiles {
    /** Every file a model folder needs besides its weights; without it transformers cannot build the model. */
    static final String CONFIG = "config.json";

    /** The other files carried over when the source has them, as '/'-separated paths inside the folder. */
    static final List<String> OPTIONAL = List.of(
            "generation_config.json", "preprocessor_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
            "vocab.json", "vocab.txt", "merges.txt", "spiece.model",
            "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json");

    private ModelFolderFiles() {
    }

    /** Every file this class may carry over, config.json first. */
    static List<String> all() {
        List<String> names = new ArrayList<>(List.of(CONFIG));
        names.addAll(OPTIONAL);
        return names;
    }

    /**
     * Copies those of {@link #all()} that {@code source} holds into {@code target}, keeping their relative paths.
     *
     * @return the names copied, in {@link #all()}'s order
     */
    static List<String> copy(Path source, Path target) {
        List<String> copied = new ArrayList<>();
        for (String name : all()) {
            Path file = source.resolve(name);
            if (Files.isRegularFile(file)) {
                copyOne(file, target.resolve(name));
                copied.add(name);
            }
        }
        return copied;
    }

    private static void copyOne(Path file, Path destination) {
        try {
            Files.createDirectories(destination.getParent());
            Files.copy(file, destination);
        } catch (IOException e) {
            throw new InputException("Cannot copy " + file + " to " + destination + ": " + e.getMessage(), e);
        }
    }
}
