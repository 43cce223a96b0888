package dev.aperture.models.bert;

import java.util.Arrays;
import java.util.List;

/**
 * Token ids of several texts, right-padded to a common length.
 *
 * @param ids     {@code [batch][seqLen]}; positions at or after {@code lengths[b]} hold the pad id
 * @param lengths real tokens per text, [CLS] and [SEP] included (the attention mask is 1 before it, 0 after)
 * @param seqLen  the padded length, the longest text's length
 */
public record TokenBatch(int[][] ids, int[] lengths, int seqLen) {
    public TokenBatch {
        if (ids.length != lengths.length) {
            throw new IllegalArgumentException(ids.length + " id rows for " + lengths.length + " lengths");
        }
    }

    /** Right-pads token id sequences with {@code padId} to the longest of them. */
    public static TokenBatch padded(List<int[]> sequences, int padId) {
        int seqLen = 0;
        for (int[] sequence : sequences) {
            seqLen = Math.max(seqLen, sequence.length);
        }
        int[][] ids = new int[sequences.size()][seqLen];
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < ids.length; i++) {
            int[] sequence = sequences.get(i);
            Arrays.fill(ids[i], padId);
            System.arraycopy(sequence, 0, ids[i], 0, sequence.length);
            lengths[i] = sequence.length;
        }
        return new TokenBatch(ids, lengths, seqLen);
    }

    public int batchSize() {
        return ids.length;
    }
}
