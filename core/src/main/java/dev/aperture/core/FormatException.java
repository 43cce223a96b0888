package dev.aperture.core;

/** A file is malformed: its bytes do not follow the format it claims (safetensors, JSON, tokenizer files, images). */
public class FormatException extends ApertureException {
    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
