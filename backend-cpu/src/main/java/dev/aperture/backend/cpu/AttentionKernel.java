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
 * The weighted sum of values keeps vectors of {@code out_i} in registers while it runs over the keys.
 * Both loops work on {@value #BLOCK} vectors at a time where they can (four keys' vectors of scores, four vectors of
 * the head dimension): one FMA waits for the one before it on the same accumulator, so a single accumulator would
 * leave the FMA units idle most of the time, while four independent ones keep them busy. Each output element
 * still gets the same FMAs in the same order as with one accumulator, so blocking changes no bit.
 * Each task holds one row of scores and the transposed keys of one head, never a whole score matrix; both are
 * padded to whole vectors, so the scores are computed without masks (the padding's scores are never read).
 * Every element is computed by the same sequence of operations wherever it falls, so results do not depend on
 * the thread count or the batch's padding.
 */
final class AttentionKernel {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;
    private static final int LANES = SPECIES.length();
    /** Vectors computed side by side, each with its own accumulator. */
    private static final int BLOCK = 4;

    private AttentionKernel() {
    }

    static void attend(WorkerPool pool, float[] q, float[] k, float[] v, AttentionSpec spec, float[] out) {
        pool.forRange(spec.batch() * spec.numHeads(), 1, (start, end) -> {
            int paddedLength = wholeVectors(spec.seqLen());
            float[] scores = new float[paddedLength];
            float[] keysTransposed = new float[spec.headDim() * paddedLength];
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
        int keyStride = wholeVectors(seqLen);
        transposeKeys(k, base, rowStride, headDim, keyLength, keyStride, keysTransposed);
        for (int i = 0; i < seqLen; i++) {
            int causalEnd = spec.causal() ? i + 1 : seqLen;
            int visibleEnd = Math.min(causalEnd, keyLength);
            int rowOffset = base + i * rowStride;
            if (visibleEnd <= 0) {
                uniformWeights(scores, causalEnd);
                weightedSumOfValues(scores, causalEnd, v, base, rowStride, headDim, out, rowOffset);
                continue;
            }
            scores(q, rowOffset, keysTransposed, keyStride, headDim, spec.scale(), visibleEnd, scores);
            softmax(scores, visibleEnd);
            weightedSumOfValues(scores, visibleEnd, v, base, rowStride, headDim, out, rowOffset);
        }
    }

    private static int wholeVectors(int length) {
        return (length + LANES - 1) / LANES * LANES;
    }

    /** {@code kT[d * keyStride + j] = k_j[d]} for the visible keys of one head. */
    private static void transposeKeys(float[] k, int base, int rowStride, int headDim, int keyCount, int keyStride,
                                      float[] keysTransposed) {
        for (int j = 0; j < keyCount; j++) {
            int keyOffset = base + j * rowStride;
            for (int d = 0; d < headDim; d++) {
                keysTransposed[d * keyStride + j] = k[keyOffset + d];
            }
        }
    }

    /**
     * {@code scores[j] = scale · Σ_d q[d]·kT[d][j]} for {@code j < keyCount}, {@value #BLOCK} vectors of keys at a
     * time, then one at a time. Lanes past {@code keyCount} up to a whole vector get scores nobody reads.
     */
    private static void scores(float[] q, int queryOffset, float[] keysTransposed, int keyStride, int headDim,
                               float scale, int keyCount, float[] scores) {
        int end = wholeVectors(keyCount);
        int j = 0;
        for (; j + BLOCK * LANES <= end; j += BLOCK * LANES) {
            FloatVector dot0 = FloatVector.zero(SPECIES);
            FloatVector dot1 = FloatVector.zero(SPECIES);
            FloatVector dot2 = FloatVector.zero(SPECIES);
            FloatVector dot3 = FloatVector.zero(SPECIES);
            for (int d = 0; d < headDim; d++) {
                FloatVector query = FloatVector.broadcast(SPECIES, q[queryOffset + d]);
                int keys = d * keyStride + j;
                dot0 = FloatVector.fromArray(SPECIES, keysTransposed, keys).fma(query, dot0);
                dot1 = FloatVector.fromArray(SPECIES, keysTransposed, keys + LANES).fma(query, dot1);
                dot2 = FloatVector.fromArray(SPECIES, keysTransposed, keys + 2 * LANES).fma(query, dot2);
                dot3 = FloatVector.fromArray(SPECIES, keysTransposed, keys + 3 * LANES).fma(query, dot3);
            }
            dot0.mul(scale).intoArray(scores, j);
            dot1.mul(scale).intoArray(scores, j + LANES);
            dot2.mul(scale).intoArray(scores, j + 2 * LANES);
            dot3.mul(scale).intoArray(scores, j + 3 * LANES);
        }
        for (; j < end; j += LANES) {
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int d = 0; d < headDim; d++) {
                FloatVector keys = FloatVector.fromArray(SPECIES, keysTransposed, d * keyStride + j);
                dot = keys.fma(FloatVector.broadcast(SPECIES, q[queryOffset + d]), dot);
            }
            dot.mul(scale).intoArray(scores, j);
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

    /**
     * {@code out_i = Σ_j weights[j] · v_j}, {@value #BLOCK} vectors of the head dimension at a time (then one at a
     * time), kept in registers while the loop runs over the keys.
     */
    private static void weightedSumOfValues(float[] weights, int keyCount, float[] v, int base, int rowStride,
                                            int headDim, float[] out, int outOffset) {
        int d = 0;
        for (; d + BLOCK * LANES <= headDim; d += BLOCK * LANES) {
            FloatVector sum0 = FloatVector.zero(SPECIES);
            FloatVector sum1 = FloatVector.zero(SPECIES);
            FloatVector sum2 = FloatVector.zero(SPECIES);
            FloatVector sum3 = FloatVector.zero(SPECIES);
            for (int j = 0; j < keyCount; j++) {
                FloatVector weight = FloatVector.broadcast(SPECIES, weights[j]);
                int values = base + j * rowStride + d;
                sum0 = FloatVector.fromArray(SPECIES, v, values).fma(weight, sum0);
                sum1 = FloatVector.fromArray(SPECIES, v, values + LANES).fma(weight, sum1);
                sum2 = FloatVector.fromArray(SPECIES, v, values + 2 * LANES).fma(weight, sum2);
                sum3 = FloatVector.fromArray(SPECIES, v, values + 3 * LANES).fma(weight, sum3);
            }
            sum0.intoArray(out, outOffset + d);
            sum1.intoArray(out, outOffset + d + LANES);
            sum2.intoArray(out, outOffset + d + 2 * LANES);
            sum3.intoArray(out, outOffset + d + 3 * LANES);
        }
        for (; d < headDim; d += LANES) {
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
