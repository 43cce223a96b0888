package dev.aperture.models.tokenizer;

/**
 * A padded batch of token ids, one row per text.
 *
 * @param ids           token ids, all rows the same length; positions past a row's length hold the pad id
 * @param attentionMask 1 where {@code ids} holds a real token (BOS, text, EOS), 0 at padding
 * @param lengths       number of real tokens per row, BOS and EOS included
 */
public record TokenBatch(int[][] ids, int[][] attentionMask, int[] lengths) {

    /** Number of rows (texts). */
    public int size() {
        return lengths.length;
    }

    /** Row length after padding (0 for an empty batch). */
    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}
