package dev.aperture.core;

/** Model files are each well formed but disagree with each other, e.g. a weight's shape does not match config.json. */
public class ModelMismatchException extends ApertureException {
    public ModelMismatchException(String message) {
        super(message);
    }

    public ModelMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
