package dev.aperture.core;

/**
 * Root of every failure Aperture reports on purpose. Catch this to handle all of them; catch a subclass
 * to handle one kind:
 * <ul>
 *   <li>{@link FormatException}: a file is malformed (safetensors, JSON configs, tokenizer files, images).</li>
 *   <li>{@link ModelMismatchException}: files are well formed but disagree (a weight's shape vs the config).</li>
 *   <li>{@link InputException}: a caller's input is unusable (a missing file, an empty label list).</li>
 *   <li>{@link BackendException}: a compute backend failed or is unavailable.</li>
 *   <li>{@link ResourceLimitException}: an input exceeds a configured limit (image pixels, header size).</li>
 * </ul>
 * Messages name the file, tensor, input or limit at fault.
 */
public class ApertureException extends RuntimeException {
    public ApertureException(String message) {
        super(message);
    }

    public ApertureException(String message, Throwable cause) {
        super(message, cause);
    }
}
