package dev.aperture.models.bert;

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

    public int batchSize() {
        return ids.length;
    }
}
