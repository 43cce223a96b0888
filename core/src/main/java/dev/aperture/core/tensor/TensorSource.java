package dev.aperture.core.tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors: from a safetensors file, a PyTorch checkpoint, the shards of a sharded checkpoint, or built in
 * memory. {@link dev.aperture.core.checkpoint.Checkpoints#open} opens any checkpoint as one.
 * Closing it releases the memory mappings; views obtained from it must not be used afterwards.
 */
public interface TensorSource extends AutoCloseable {

    /** Every tensor name, in file order. */
    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * The tensor with this name.
     *
     * @throws dev.aperture.core.ModelMismatchException when there is none; the message names the tensor and the file
     */
    TensorView tensor(String name);

    /** The files the tensors are read from, for messages and listings; empty for tensors built in memory. */
    default List<Path> files() {
        return List.of();
    }

    /** The header's {@code __metadata__} (merged over shards); empty when absent. */
    Map<String, String> metadata();

    @Override
    void close();
}
