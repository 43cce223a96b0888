package dev.aperture.core;

/** An input exceeds a configured limit (header size, image pixel count, text length); raised before allocating. */
public class ResourceLimitException extends ApertureException {
    public ResourceLimitException(String message) {
        super(message);
    }

    public ResourceLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
