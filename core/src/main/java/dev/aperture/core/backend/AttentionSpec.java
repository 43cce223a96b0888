package dev.aperture.core.backend;

import dev.aperture.core.InputException;

/**
 * How to run {@link Backend#attention}: shapes, score scale and masks.
 *
 * @param batch      number of sequences
 * @param seqLen     positions per sequence (rows per sequence in q, k, v)
 * @param numHeads   attention heads
 * @param headDim    columns per head
 * @param scale      multiplies q·kᵀ (usually 1/sqrt(headDim))
 * @param causal     position i attends only to keys j ≤ i
 * @param keyLengths per sequence, keys at positions ≥ keyLengths[b] are masked (padding), each in
 *                   {@code [0, seqLen]}; {@code null} for none
 */
public record AttentionSpec(int batch, int seqLen, int numHeads, int headDim, float scale, boolean causal,
                            int[] keyLengths) {
    /**
     * Checks the dimensions and key lengths, and keeps a copy of {@code keyLengths}.
     *
     * @throws InputException for a non-positive dimension, a keyLengths array of another length than the batch, or a
     *                        key length outside {@code [0, seqLen]}
     */
    public AttentionSpec {
        if (batch <= 0 || seqLen <= 0 || numHeads <= 0 || headDim <= 0) {
            throw new InputException("Attention dimensions must be positive: batch " + batch
                    + ", seqLen " + seqLen + ", heads " + numHeads + ", headDim " + headDim);
        }
        if (keyLengths != null) {
            if (keyLengths.length != batch) {
                throw new InputException("keyLengths has " + keyLengths.length + " entries for batch " + batch);
            }
            keyLengths = keyLengths.clone();
            for (int b = 0; b < batch; b++) {
                if (keyLengths[b] < 0 || keyLengths[b] > seqLen) {
                    throw new InputException("Key length " + keyLengths[b] + " of sequence " + b
                            + " is outside [0, " + seqLen + "]");
                }
            }
        }
    }

    /** Keys visible to sequence {@code b} (before the causal mask). */
    public int keyLength(int b) {
        return keyLengths == null ? seqLen : keyLengths[b];
    }

    /** The key lengths (a copy), or {@code null} when nothing is masked for padding. */
    @Override
    public int[] keyLengths() {
        return keyLengths == null ? null : keyLengths.clone();
    }
}
