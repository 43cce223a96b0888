package dev.aperture.models.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * A padded batch of token ids, one row per text: what every tokenizer's {@code encodeBatch} makes and every text
 * encoder reads. Rows are padded on the right (CLIP, BERT, SigLIP) or on the left (SigLIP 2's Gemma tokenizer), as
 * the tokenizer says; the attention mask tells real tokens from padding either way.
 *
 * @param ids           token ids, all rows the same length; the positions that are not a row's tokens hold the pad
 *                      id
 * @param attentionMask 1 where {@code ids} holds a real token (BOS/[CLS], text, EOS/[SEP]), 0 at padding
 * @param lengths       number of real tokens per row, the special tokens included
 */
public record TokenBatch(int[][] ids, int[][] attentionMask, int[] lengths) {
    public TokenBatch {
        if (ids.length != lengths.length || attentionMask.length != lengths.length) {
            throw new IllegalArgumentException(ids.length + " id rows and " + attentionMask.length + " mask rows for "
                    + lengths.length + " lengths");
        }
    }

    /** Where padding goes in a row: after the tokens (RIGHT) or before them (LEFT). */
    public enum Side { RIGHT, LEFT }

    /** Right-pads token id sequences with {@code padId} to the longest of them. */
    public static TokenBatch padded(List<int[]> sequences, int padId) {
        int longest = 0;
        for (int[] sequence : sequences) {
            longest = Math.max(longest, sequence.length);
        }
        return padded(sequences, padId, longest);
    }

    /** Right-pads token id sequences with {@code padId} to {@code width}, which none of them may exceed. */
    public static TokenBatch padded(List<int[]> sequences, int padId, int width) {
        return padded(sequences, padId, width, Side.RIGHT);
    }

    /** Pads token id sequences with {@code padId} to {@code width}, which none of them may exceed, on {@code side}. */
    public static TokenBatch padded(List<int[]> sequences, int padId, int width, Side side) {
        int[][] ids = new int[sequences.size()][width];
        int[][] mask = new int[sequences.size()][width];
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < ids.length; i++) {
            int[] sequence = sequences.get(i);
            if (sequence.length > width) {
                throw new IllegalArgumentException("a row of " + sequence.length + " ids is wider than " + width);
            }
            int start = side == Side.LEFT ? width - sequence.length : 0;
            Arrays.fill(ids[i], padId);
            System.arraycopy(sequence, 0, ids[i], start, sequence.length);
            Arrays.fill(mask[i], start, start + sequence.length, 1);
            lengths[i] = sequence.length;
        }
        return new TokenBatch(ids, mask, lengths);
    }

    /** Number of rows (texts). */
    public int size() {
        return lengths.length;
    }

    /** Row length after padding (0 for an empty batch). */
    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}
