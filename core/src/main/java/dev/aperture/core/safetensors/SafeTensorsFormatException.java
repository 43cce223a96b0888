package dev.aperture.core.safetensors;

import dev.aperture.core.FormatException;

/**
 * A safetensors file or a sharded checkpoint's {@code model.safetensors.index.json} is malformed.
 * The message names the file and, where one is at fault, the tensor.
 */
public class SafeTensorsFormatException extends FormatException {
    public SafeTensorsFormatException(String message) {
        super(message);
    }

    public SafeTensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
