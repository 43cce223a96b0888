package dev.aperture.backend.cpu;

import dev.aperture.core.backend.AttentionSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

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
 * <p>Each task holds one row of scores ({@code seqLen} floats), never a whole score matrix.
 */
final class AttentionKernel {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;

    private AttentionKernel() {
    }

    static void attend(WorkerPool pool, float[] q, float[] k, float[] v, AttentionSpec spec, float[] out) {
        pool.forRange(spec.batch() * spec.numHeads(), 1, (start, end) -> {
            float[] scores = new float[spec.seqLen()];
            for (int task = start; task < end; task++) {
                attendHead(q, k, v, spec, task / spec.numHeads(), task % spec.numHeads(), scores, out);
            }
        });
    }

    private static void attendHead(float[] q, float[] k, float[] v, AttentionSpec spec, int sequence, int head,
                                   float[] scores, float[] out) {
        int seqLen = spec.seqLen();
        int headDim = spec.headDim();
        int rowStride = spec.numHeads() * headDim;
        int base = sequence * seqLen * rowStride + head * headDim;
        int keyLength = Math.min(spec.keyLength(sequence), seqLen);
        for (int i = 0; i < seqLen; i++) {
            int causalEnd = spec.causal() ? i + 1 : seqLen;
            int visibleEnd = Math.min(causalEnd, keyLength);
            int outOffset = base + i * rowStride;
            if (visibleEnd <= 0) {
                averageValues(v, base, rowStride, headDim, causalEnd, out, outOffset);
                continue;
            }
            int queryOffset = base + i * rowStride;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < visibleEnd; j++) {
                scores[j] = spec.scale() * Lanes.dot(q, queryOffset, k, base + j * rowStride, headDim);
                max = Math.max(max, scores[j]);
            }
            float sum = 0f;
            for (int j = 0; j < visibleEnd; j++) {
                scores[j] = (float) Math.exp(scores[j] - max);
                sum += scores[j];
            }
            float inverseSum = 1f / sum;
            Arrays.fill(out, outOffset, outOffset + headDim, 0f);
            for (int j = 0; j < visibleEnd; j++) {
                accumulate(out, outOffset, scores[j] * inverseSum, v, base + j * rowStride, headDim);
            }
        }
    }

    private static void averageValues(float[] v, int base, int rowStride, int headDim, int keyCount, float[] out,
                                      int outOffset) {
        Arrays.fill(out, outOffset, outOffset + headDim, 0f);
        for (int j = 0; j < keyCount; j++) {
            accumulate(out, outOffset, 1f / keyCount, v, base + j * rowStride, headDim);
        }
    }

    /** {@code out[o..o+n) += weight · v[vOffset..vOffset+n)}. */
    private static void accumulate(float[] out, int outOffset, float weight, float[] v, int vOffset, int length) {
        FloatVector weights = FloatVector.broadcast(SPECIES, weight);
        int vectorEnd = SPECIES.loopBound(length);
        int d = 0;
        for (; d < vectorEnd; d += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, v, vOffset + d)
                    .fma(weights, FloatVector.fromArray(SPECIES, out, outOffset + d))
                    .intoArray(out, outOffset + d);
        }
        for (; d < length; d++) {
            out[outOffset + d] += weight * v[vOffset + d];
        }
    }
}
