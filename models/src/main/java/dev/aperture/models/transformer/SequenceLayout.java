package dev.aperture.models.transformer;

/**
 * How a batch of sequences is stacked into matrix rows ({@code batch·seqLen} rows, sequence b's position t at row
 * {@code b·seqLen + t}) and which of its positions are padding.
 *
 * @param keyLengths per sequence, the number of real (unpadded) positions; {@code null} when nothing is padded
 */
public record SequenceLayout(int batch, int seqLen, int[] keyLengths) {

    /** {@code batch} sequences of {@code seqLen} real positions each (images: every patch is real). */
    public static SequenceLayout unpadded(int batch, int seqLen) {
        return new SequenceLayout(batch, seqLen, null);
    }

    public int rows() {
        return batch * seqLen;
    }
}
