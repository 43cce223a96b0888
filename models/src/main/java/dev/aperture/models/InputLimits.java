package dev.aperture.models;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.models.image.ImageLimits;

import java.util.List;

/**
 * Caps on what one call may ask of a model, each checked before the memory it guards is allocated; exceeding one
 * raises a {@link dev.aperture.core.ResourceLimitException} naming the input and the limit. The defaults are far
 * above real use (CLIP reads 77 tokens, about 300 characters; an 80-template ensemble over ImageNet's 1,000 labels
 * is 80,000 prompts, which the classifier embeds in several calls) and far below what would exhaust a JVM.
 *
 * @param maxTextChars     the longest text accepted, in UTF-16 chars, checked before tokenizing
 * @param maxInputsPerCall the most texts or images one {@code embed*} call accepts (the output alone is
 *                         inputs × projection_dim floats); calls are still split into batches of
 *                         {@link ModelOptions#batchSize()}
 * @param maxLabels        the most labels one zero-shot classification accepts
 * @param images           decoding limits: pixel count (decompression bombs) and decoded memory
 * @param checkpoints      limits on the weights files a model is loaded from (header and pickle sizes, tensors)
 */
public record InputLimits(int maxTextChars, int maxInputsPerCall, int maxLabels, ImageLimits images,
                          CheckpointLimits checkpoints) {

    /** 1 Mi (1,048,576) characters: thousands of times what CLIP reads, well under a second of tokenizing. */
    public static final int DEFAULT_MAX_TEXT_CHARS = 1 << 20;
    /** 100,000 inputs: about 300 MB of ViT-L output embeddings. */
    public static final int DEFAULT_MAX_INPUTS_PER_CALL = 100_000;
    /** 100,000 labels: ImageNet-21k has 21,841. */
    public static final int DEFAULT_MAX_LABELS = 100_000;

    /** Validates the limits. */
    public InputLimits {
        if (maxTextChars < 0 || maxInputsPerCall < 1 || maxLabels < 1 || images == null || checkpoints == null) {
            throw new InputException("InputLimits need maxTextChars >= 0, maxInputsPerCall >= 1, maxLabels >= 1,"
                    + " image and checkpoint limits; got " + maxTextChars + ", " + maxInputsPerCall + ", " + maxLabels
                    + ", " + images + ", " + checkpoints);
        }
    }

    /** The defaults above, with {@link ImageLimits#defaults()} and {@link CheckpointLimits#DEFAULT}. */
    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_INPUTS_PER_CALL, DEFAULT_MAX_LABELS,
                ImageLimits.defaults(), CheckpointLimits.DEFAULT);
    }

    public InputLimits withMaxTextChars(int chars) {
        return new InputLimits(chars, maxInputsPerCall, maxLabels, images, checkpoints);
    }

    public InputLimits withMaxInputsPerCall(int inputs) {
        return new InputLimits(maxTextChars, inputs, maxLabels, images, checkpoints);
    }

    public InputLimits withMaxLabels(int labels) {
        return new InputLimits(maxTextChars, maxInputsPerCall, labels, images, checkpoints);
    }

    public InputLimits withImages(ImageLimits imageLimits) {
        return new InputLimits(maxTextChars, maxInputsPerCall, maxLabels, imageLimits, checkpoints);
    }

    public InputLimits withCheckpoints(CheckpointLimits checkpointLimits) {
        return new InputLimits(maxTextChars, maxInputsPerCall, maxLabels, images, checkpointLimits);
    }

    /**
     * Checks one call's inputs before any work: a list (not null) of at most {@link #maxInputsPerCall()} items.
     *
     * @param what names the inputs in messages ({@code texts}, {@code images})
     * @throws InputException         for a null list
     * @throws ResourceLimitException for too many inputs
     */
    public void checkInputCount(List<?> inputs, String what) {
        if (inputs == null) {
            throw new InputException("no list of " + what + " given (null)");
        }
        if (inputs.size() > maxInputsPerCall) {
            throw new ResourceLimitException(inputs.size() + " " + what + " in one call, over the limit of "
                    + maxInputsPerCall + " (InputLimits.maxInputsPerCall); split them into several calls");
        }
    }

    /**
     * Checks one call's texts before tokenizing: {@link #checkInputCount}, then each text present and no longer than
     * {@link #maxTextChars()}.
     */
    public void checkTexts(List<String> texts) {
        checkInputCount(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new InputException("text " + i + " is null");
            }
            if (text.length() > maxTextChars) {
                throw new ResourceLimitException("text " + i + " has " + text.length()
                        + " characters, over the limit of " + maxTextChars + " characters (InputLimits.maxTextChars)");
            }
        }
    }
}
