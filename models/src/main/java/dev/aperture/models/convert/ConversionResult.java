package dev.aperture.models.convert;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CheckpointConverter#convert} wrote, every tensor of it verified against the source.
 *
 * @param folder       the output folder
 * @param weightFiles  the weight files written, relative to {@code folder}: {@code model.safetensors}, or the shards
 *                     in order followed by {@code model.safetensors.index.json}
 * @param copiedFiles  the config, tokenizer and preprocessor files copied from the source, relative to {@code folder}
 * @param tensorCount  tensors written
 * @param tensorBytes  bytes of tensor data written (headers and index not counted)
 * @param dtype        the type floating-point tensors were stored as
 * @param source       the weights read: a file, or the index of a sharded checkpoint
 */
public record ConversionResult(Path folder, List<String> weightFiles, List<String> copiedFiles, int tensorCount,
                               long tensorBytes, TargetDType dtype, Path source) {

    /** Copies the lists. */
    public ConversionResult {
        weightFiles = List.copyOf(weightFiles);
        copiedFiles = List.copyOf(copiedFiles);
    }
}
