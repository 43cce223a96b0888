package dev.aperture.models.bert;

/**
 * One candidate label of a zero-shot text classification and how well it fits.
 *
 * @param label the label as the caller gave it (without the hypothesis template)
 * @param score the cosine similarity, in [-1, 1], between the text's embedding and the embedding of the label
 *              inserted into the hypothesis template; not a probability
 */
public record TextLabelScore(String label, float score) {
}
