package dev.aperture.core;

/** A compute backend failed or is not available (no OpenCL driver, a kernel failed to build). */
public class BackendException extends ApertureException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
