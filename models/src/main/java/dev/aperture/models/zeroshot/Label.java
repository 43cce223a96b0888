package dev.aperture.models.zeroshot;

/**
 * One candidate label's result for one image.
 *
 * @param label   the label as given (not the prompt built from it)
 * @param score   the probability {@code scoring} gives the logit: softmax over the candidate labels (CLIP, summing to
 *                1 over them) or the label's own sigmoid (SigLIP, independent of the other labels)
 * @param logit   {@code exp(logit_scale) · cos(image, label) + logit_bias} (the bias is SigLIP's; 0 for CLIP)
 * @param scoring which of the two {@code score} is
 */
public record Label(String label, double score, double logit, Scoring scoring) {
}
