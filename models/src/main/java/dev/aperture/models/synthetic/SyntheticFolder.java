package dev.aperture.models.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a synthetic model's Hugging Face folder holds: small files (JSON documents made for the architecture, and
 * tokenizer files copied from the family's resources) and the generated weights. The family classes
 * ({@code SyntheticClip}, {@code SyntheticSiglip}) say what goes in; this writes it, whole or without the weights.
 */
public final class SyntheticFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> jsonFiles;
    private final Class<?> resourceOwner;
    private final List<String> resourceFiles;
    private final SyntheticTensors tensors;

    /**
     * @param jsonFiles     file name to content, written pretty-printed ({@code config.json},
     *                      {@code preprocessor_config.json}, ...)
     * @param resourceOwner the class whose package holds {@code resourceFiles} as resources
     * @param resourceFiles files copied unchanged (the tokenizer's)
     * @param tensors       the weights, written as {@code model.safetensors}
     */
    public SyntheticFolder(Map<String, JsonNode> jsonFiles, Class<?> resourceOwner, List<String> resourceFiles,
                           SyntheticTensors tensors) {
        this.jsonFiles = Map.copyOf(jsonFiles);
        this.resourceOwner = resourceOwner;
        this.resourceFiles = List.copyOf(resourceFiles);
        this.tensors = tensors;
    }

    /**
     * Writes the complete folder, the weights stored as {@code dtype}; the family's {@code load(Path)} loads it like
     * a downloaded model.
     *
     * @return {@code folder}
     * @throws dev.aperture.core.InputException for a dtype that is not a float (before anything is written)
     */
    public Path write(Path folder, DType dtype) {
        List<TensorToWrite> weights = tensors.toWrite(dtype);
        writeSmallFiles(folder);
        SafeTensors.write(folder.resolve("model.safetensors"), weights, Map.of("format", "pt"));
        return folder;
    }

    /**
     * Writes everything but the weights to a temporary folder, hands it to {@code read} (which loads the tokenizer
     * and image preprocessor from it, say) and deletes it again before returning what {@code read} returned.
     */
    public <T> T readSmallFiles(Function<Path, T> read) {
        Path temporary;
        try {
            temporary = Files.createTempDirectory("aperture-synthetic-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for the synthetic model's small files", e);
        }
        try {
            writeSmallFiles(temporary);
            return read.apply(temporary);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** A JSON resource in {@code owner}'s package (a family's base config, say), parsed. */
    public static JsonNode readJsonResource(Class<?> owner, String file) {
        try (InputStream in = resource(owner, file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + file + " of " + owner.getName(), e);
        }
    }

    private void writeSmallFiles(Path folder) {
        try {
            Files.createDirectories(folder);
            for (Map.Entry<String, JsonNode> file : jsonFiles.entrySet()) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(file.getKey()).toFile(),
                        file.getValue());
            }
            for (String file : resourceFiles) {
                try (InputStream in = resource(resourceOwner, file)) {
                    Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the synthetic model's files to " + folder, e);
        }
    }

    private static InputStream resource(Class<?> owner, String file) {
        InputStream in = owner.getResourceAsStream(file);
        if (in == null) {
            throw new IllegalStateException("Resource " + file + " of " + owner.getName()
                    + " is missing from the models jar");
        }
        return in;
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary folder of a few small files is harmless.
        }
    }
}
