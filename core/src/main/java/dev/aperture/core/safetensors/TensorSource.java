package dev.aperture.core.safetensors;

import java.util.Map;
import java.util.Set;

/**
 * Named tensors from one safetensors file or from the shards of a sharded checkpoint.
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

    /** The header's {@code __metadata__} (merged over shards); empty when absent. */
    Map<String, String> metadata();

    @Override
    void close();
}
