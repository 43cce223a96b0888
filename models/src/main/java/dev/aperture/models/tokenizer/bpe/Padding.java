package dev.aperture.models.tokenizer.bpe;

/** How {@link ClipTokenizer#encodeBatch} pads the rows of a batch. */
public enum Padding {
    /** Pad every row to the longest (truncated) row of the batch. */
    LONGEST,
    /** Pad every row to {@link ClipTokenizer#contextLength()} (77 for CLIP), as the text tower expects. */
    MAX_LENGTH
}
