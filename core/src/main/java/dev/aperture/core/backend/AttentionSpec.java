package dev.aperture.core.backend;

/**
 * How to run {@link Backend#attention}: shapes, score scale and masks.
 *
 * @param batch      number of sequences
 * @param seqLen     positions per sequence (rows per sequence in q, k, v)
 * @param numHeads   attention heads
 * @param headDim    columns per head
 * @param scale      multiplies q·kᵀ (usually 1/sqrt(headDim))
 * @param causal     position i attends only to keys j ≤ i
 * @param keyLengths per sequence, keys at positions ≥ keyLengths[b] are masked (padding); {@code null} for none
 */
public record AttentionSpec(int batch, int seqLen, int numHeads, int headDim, float scale, boolean causal,
                            int[] keyLengths) {
    public AttentionSpec {
        if (batch <= 0 || seqLen <= 0 || numHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("Attention dimensions must be positive: batch " + batch
                    + ", seqLen " + seqLen + ", heads " + numHeads + ", headDim " + headDim);
        }
        if (keyLengths != null) {
            if (keyLengths.length != batch) {
                throw new IllegalArgumentException("keyLengths has " + keyLengths.length + " entries for batch " + batch);
            }
            keyLengths = keyLengths.clone();
        }
    }

    /** Keys visible to sequence {@code b} (before the causal mask). */
    public int keyLength(int b) {
        return keyLengths == null ? seqLen : keyLengths[b];
    }
}
