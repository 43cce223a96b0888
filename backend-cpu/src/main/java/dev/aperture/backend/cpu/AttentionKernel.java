package dev.aperture.backend.cpu;

import dev.aperture.core.backend.AttentionSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Multi-head scaled dot-product attention, one (sequence, head) pair per task. For query row i of a head:
 * <pre>
 *   visible keys j:  j &lt; keyLength  and, when causal, j ≤ i
 *   score[j]  = scale · q_i·k_j                    (visible keys only)
 *   weight[j] = exp(score[j] − max) / Σ exp(...)   (masked keys: exactly 0, as after adding finfo.min in PyTorch)
 *   out_i     = Σ_j weight[j] · v_j
 * </pre>
 * A query that sees no key at all (a sequence whose mask is all zeros) gets, as in PyTorch where every score then
 * equals finfo.min, equal weights over the keys the causal mask alone allows.
 *
 * <p>Vectorized along the keys, not along the head dimension (heads are small: 32–64 floats): the task first
 * copies its head's keys transposed, {@code kT[d][j]}, so one query's scores for a vector of keys are
 * {@code headDim} FMAs of a broadcast {@code q[d]} with a contiguous row of {@code kT}, with no lane reductions.
 * The weighted sum of values keeps a vector of {@code out_i} in registers while it runs over the keys.
 * Each task holds one row of scores and the transposed keys of one head, never a whole score matrix.
 * Every element is computed by the same sequence of operations wherever it falls, so results do not depend on
 * the thread count or the batch's padding.
 */
final class AttentionKernel {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;
    private static final int LANES = SPECIES.length();

    private AttentionKernel() {
    }

    static void attend(WorkerPool pool, float[] q, float[] k, float[] v, AttentionSpec spec, float[] out) {
        pool.forRange(spec.batch() * spec.numHeads(), 1, (start, end) -> {
            float[] scores = new float[spec.seqLen()];
            float[] keysTransposed = new float[spec.headDim() * spec.seqLen()];
            for (int task = start; task < end; task++) {
                attendHead(q, k, v, spec, task / spec.numHeads(), task % spec.numHeads(), scores, keysTransposed, out);
            }
        });
    }

    private static void attendHead(float[] q, float[] k, float[] v, AttentionSpec spec, int sequence, int head,
                                   float[] scores, float[] keysTransposed, float[] out) {
        int seqLen = spec.seqLen();
        int headDim = spec.headDim();
        int rowStride = spec.numHeads() * headDim;
        int base = sequence * seqLen * rowStride + head * headDim;
        int keyLength = Math.min(spec.keyLength(sequence), seqLen);
        transposeKeys(k, base, rowStride, headDim, keyLength, seqLen, keysTransposed);
        for (int i = 0; i < seqLen; i++) {
            int causalEnd = spec.causal() ? i + 1 : seqLen;
            int visibleEnd = Math.min(causalEnd, keyLength);
            int rowOffset = base + i * rowStride;
            if (visibleEnd <= 0) {
                uniformWeights(scores, causalEnd);
                weightedSumOfValues(scores, causalEnd, v, base, rowStride, headDim, out, rowOffset);
                continue;
            }
            scores(q, rowOffset, keysTransposed, seqLen, headDim, spec.scale(), visibleEnd, scores);
            softmax(scores, visibleEnd);
            weightedSumOfValues(scores, visibleEnd, v, base, rowStride, headDim, out, rowOffset);
        }
    }

    /** {@code kT[d * seqLen + j] = k_j[d]} for the visible keys of one head. */
    private static void transposeKeys(float[] k, int base, int rowStride, int headDim, int keyCount, int seqLen,
                                      float[] keysTransposed) {
        for (int j = 0; j < keyCount; j++) {
            int keyOffset = base + j * rowStride;
            for (int d = 0; d < headDim; d++) {
                keysTransposed[d * seqLen + j] = k[keyOffset + d];
            }
        }
    }

    /** {@code scores[j] = scale · Σ_d q[d]·kT[d][j]} for {@code j < keyCount}, a vector of keys at a time. */
    private static void scores(float[] q, int queryOffset, float[] keysTransposed, int seqLen, int headDim,
                               float scale, int keyCount, float[] scores) {
        for (int j = 0; j < keyCount; j += LANES) {
            VectorMask<Float> inRange = SPECIES.indexInRange(j, keyCount);
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int d = 0; d < headDim; d++) {
                FloatVector keys = FloatVector.fromArray(SPECIES, keysTransposed, d * seqLen + j, inRange);
                dot = keys.fma(FloatVector.broadcast(SPECIES, q[queryOffset + d]), dot);
            }
            dot.mul(scale).intoArray(scores, j, inRange);
        }
    }

    /**
     * Turns {@code scores[0..count)} into softmax weights, in place, a vector at a time. The exponentials come from
     * {@link VectorExp}, not the Vector API's {@code EXP}, whose last bit differs between interpreted and compiled
     * code (results would depend on warm-up).
     */
    private static void softmax(float[] scores, int count) {
        FloatVector maxima = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < count; j += LANES) {
            VectorMask<Float> inRange = SPECIES.indexInRange(j, count);
            maxima = maxima.max(FloatVector.fromArray(SPECIES, scores, j, inRange)
                    .blend(Float.NEGATIVE_INFINITY, inRange.not()));
        }
        float max = maxima.reduceLanes(VectorOperators.MAX);  // max is exact in any order
        FloatVector sums = FloatVector.zero(SPECIES);
        for (int j = 0; j < count; j += LANES) {
            VectorMask<Float> inRange = SPECIES.indexInRange(j, count);
            FloatVector weights = VectorExp.exp(FloatVector.fromArray(SPECIES, scores, j, inRange).sub(max))
                    .blend(0f, inRange.not());
            weights.intoArray(scores, j, inRange);
            sums = sums.add(weights);
        }
        float inverseSum = 1f / Lanes.sum(sums);
        for (int j = 0; j < count; j += LANES) {
            VectorMask<Float> inRange = SPECIES.indexInRange(j, count);
            FloatVector.fromArray(SPECIES, scores, j, inRange).mul(inverseSum).intoArray(scores, j, inRange);
        }
    }

    private static void uniformWeights(float[] scores, int count) {
        for (int j = 0; j < count; j++) {
            scores[j] = 1f / count;
        }
    }

    /** {@code out_i = Σ_j weights[j] · v_j}, a vector of the head dimension at a time, kept in a register. */
    private static void weightedSumOfValues(float[] weights, int keyCount, float[] v, int base, int rowStride,
                                            int headDim, float[] out, int outOffset) {
        for (int d = 0; d < headDim; d += LANES) {
            VectorMask<Float> inRange = SPECIES.indexInRange(d, headDim);
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int j = 0; j < keyCount; j++) {
                FloatVector values = FloatVector.fromArray(SPECIES, v, base + j * rowStride + d, inRange);
                sum = values.fma(FloatVector.broadcast(SPECIES, weights[j]), sum);
            }
            sum.intoArray(out, outOffset + d, inRange);
        }
    }
}
