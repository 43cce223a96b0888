package dev.aperture.models.zeroshot;

/**
 * One candidate label's result for one image.
 *
 * @param label the label as given (not the prompt built from it)
 * @param score softmax probability over the candidate labels
 * @param logit {@code exp(logit_scale) · cos(image, label)}
 */
public record Label(String label, double score, double logit) {
}
