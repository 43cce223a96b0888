package dev.aperture.core;

/**
 * Root of every failure Aperture reports on purpose. Catch this to handle all of them; catch a subclass
 * to handle one kind:
 * <ul>
 *   <li>{@link FormatException}: a file is malformed (safetensors, JSON configs, tokenizer files, images).</li>
 *   <li>{@link ModelMismatchException}: files are well formed but disagree (a weight's shape vs the config).</li>
 *   <li>{@link InputException}: a caller's input is unusable (a missing file, an empty label list), or the model
 *       it was given to has been closed.</li>
 *   <li>{@link BackendException}: a compute backend failed or is unavailable.</li>
 *   <li>{@link ResourceLimitException}: an input exceeds a configured limit (safetensors header size and tensor
 *       count, image pixels and decoded bytes, text length, inputs per call, labels), checked before allocating;
 *       the message names the limit.</li>
 * </ul>
 * Messages name the file, tensor, input or limit at fault. Nothing else escapes the library on bad input: the fuzz
 * targets (core/FUZZING.md) check that no other exception or error comes out of any parser.
 */
public class ApertureException extends RuntimeException {
    public ApertureException(String message) {
        super(message);
    }

    public ApertureException(String message, Throwable cause) {
        super(message, cause);
    }
}
