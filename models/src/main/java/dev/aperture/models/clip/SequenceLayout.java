package dev.aperture.models.clip;

/**
 * How a batch of sequences is stacked into matrix rows ({@code batch·seqLen} rows, sequence b's position t at row
 * {@code b·seqLen + t}) and which keys attention may see.
 *
 * @param causal     position t sees only positions ≤ t (the text tower)
 * @param keyLengths per sequence, the number of real (unpadded) positions; {@code null} when nothing is padded
 */
record SequenceLayout(int batch, int seqLen, boolean causal, int[] keyLengths) {
    int rows() {
        return batch * seqLen;
    }
}
