package dev.aperture.core;

/** A caller's input cannot be used: a missing file, an unreadable image, an empty label list. */
public class InputException extends ApertureException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
