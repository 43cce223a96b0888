package dev.aperture.server;

import dev.aperture.core.InputException;

import java.nio.file.Path;

/**
 * One {@code --model ID[=NAME]}: what to load (a model folder, a hub id {@code org/name[@revision]}, or a BERT
 * {@code .onnx} file with {@code tokenizer.json} beside it) and the name requests use for it ({@code "model"}).
 *
 * @param reference the folder, hub id or .onnx file
 * @param name      the served name; by default the hub id, or a folder's or file's own name
 */
public record ModelSpec(String reference, String name) {

    public ModelSpec {
        if (reference == null || reference.isBlank() || name == null || name.isBlank()) {
            throw new InputException("a model needs a reference and a name, got '" + reference + "' and '" + name + "'");
        }
    }

    /** Parses {@code ID} or {@code ID=NAME}. */
    public static ModelSpec parse(String text) {
        int equals = text.lastIndexOf('=');
        if (equals >= 0) {
            return new ModelSpec(text.substring(0, equals), text.substring(equals + 1));
        }
        return new ModelSpec(text, defaultName(text));
    }

    /** A hub id names itself; a path is named by its last element, without {@code .onnx}. */
    private static String defaultName(String reference) {
        boolean hubId = reference.matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+(@[\\w./-]+)?") && !Path.of(reference).toFile().exists();
        if (hubId) {
            return reference;
        }
        Path fileName = Path.of(reference).toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? reference : fileName.toString();
        return name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
    }
}
