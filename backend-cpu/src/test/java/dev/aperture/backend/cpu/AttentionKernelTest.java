package dev.aperture.backend.cpu;

import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


class AttentionKernelTest {

    /**
     * softmax(scale·q·kᵀ + mask)·v in double, with the mask as PyTorch builds it: a very negative number added
     * to each masked score (twice when both masks apply).
     */
    private static double[] reference(float[] q, float[] k, float[] v, AttentionSpec spec) {
        int width = spec.numHeads() * spec.headDim();
        double[] out = new double[q.length];
        double masked = -3.4028234663852886e38;
        for (int b = 0; b < spec.batch(); b++) {
            for (int h = 0; h < spec.numHeads(); h++) {
                for (int i = 0; i < spec.seqLen(); i++) {
                    double[] scores = new double[spec.seqLen()];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < spec.seqLen(); j++) {
                        double dot = 0;
                        for (int d = 0; d < spec.headDim(); d++) {
                            dot += (double) q[(b * spec.seqLen() + i) * width + h * spec.headDim() + d]
                                    * k[(b * spec.seqLen() + j) * width + h * spec.headDim() + d];
                        }
                        scores[j] = spec.scale() * dot;
                        if (spec.causal() && j > i) {
                            scores[j] = masked;
                        }
                        if (j >= spec.keyLength(b)) {
                            scores[j] = scores[j] == masked ? Double.NEGATIVE_INFINITY : masked;
                        }
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < spec.seqLen(); j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < spec.seqLen(); j++) {
                        for (int d = 0; d < spec.headDim(); d++) {
                            out[(b * spec.seqLen() + i) * width + h * spec.headDim() + d] += scores[j] / sum
                                    * v[(b * spec.seqLen() + j) * width + h * spec.headDim() + d];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void check(AttentionSpec spec, int threads) {
        int rows = spec.batch() * spec.seqLen();
        int width = spec.numHeads() * spec.headDim();
        float[] q = TestArrays.random(41, rows * width, 2);
        float[] k = TestArrays.random(42, rows * width, 2);
        float[] v = TestArrays.random(43, rows * width, 2);
        try (CpuBackend backend = new CpuBackend(threads)) {
            Matrix out = backend.allocate(rows, width);
            backend.attention(backend.upload(q, rows, width), backend.upload(k, rows, width),
                    backend.upload(v, rows, width), spec, out);
            TestArrays.assertClose(reference(q, k, v, spec), backend.download(out), 1e-5);
        }
    }

    /** The last shapes are ViT-B/32's (50 tokens, heads of 64) and MiniLM's (heads of 32): whole blocks of vectors. */
    @ParameterizedTest
    @CsvSource({"1,1,1,1", "2,7,3,5", "3,17,4,12", "2,50,2,33", "2,50,2,64", "2,128,2,32"})
    void matchesReferenceWithoutMasks(int batch, int seqLen, int heads, int headDim) {
        check(new AttentionSpec(batch, seqLen, heads, headDim, (float) (1 / Math.sqrt(headDim)), false, null), 2);
    }

    /** The last shape is CLIP's text tower: 77 tokens, heads of 64. */
    @ParameterizedTest
    @CsvSource({"1,1,1,1", "2,9,3,5", "3,19,4,12", "2,77,2,64"})
    void matchesReferenceWithCausalMask(int batch, int seqLen, int heads, int headDim) {
        check(new AttentionSpec(batch, seqLen, heads, headDim, 0.3f, true, null), 1);
    }

    @Test
    void matchesReferenceWithCausalAndKeyLengthMasksIncludingPaddingQueries() {
        check(new AttentionSpec(4, 13, 3, 7, 0.4f, true, new int[]{13, 1, 6, 9}), 2);
    }

    @Test
    void matchesReferenceWithKeyLengthMaskAlone() {
        check(new AttentionSpec(3, 11, 2, 9, 0.5f, false, new int[]{11, 3, 1}), 2);
    }
}
