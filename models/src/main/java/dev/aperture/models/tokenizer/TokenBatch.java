package dev.aperture.models.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * A right-padded batch of token ids, one row per text: what every tokenizer's {@code encodeBatch} makes and every
 * text encoder reads.
 *
 * @param ids           token ids, all rows the same length; positions past a row's length hold the pad id
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
        int[][] ids = new int[sequences.size()][width];
        int[][] mask = new int[sequences.size()][width];
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < ids.length; i++) {
            int[] sequence = sequences.get(i);
            System.arraycopy(sequence, 0, ids[i], 0, sequence.length);
            Arrays.fill(ids[i], sequence.length, width, padId);
            Arrays.fill(mask[i], 0, sequence.length, 1);
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
