package dev.aperture.backend.gpu;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Multi-head attention with causal and key-length masks against a double-precision reference.
 * Tolerance: 1e-5 absolute (inputs in [-1, 1], outputs are convex combinations of values in [-1, 1]).
 */
class AttentionKernelTest {
    private static final double TOLERANCE = 1e-5;
    private static OpenClBackend backend;

    @BeforeAll
    static void openBackend() {
        backend = OpenClTestSupport.openBackend();
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void causalWithKeyLengthsMatchesReference() {
        AttentionSpec spec = new AttentionSpec(3, 17, 4, 12, (float) (1 / Math.sqrt(12)), true, new int[] {17, 9, 1});
        assertMatchesReference(spec, 1);
    }

    @Test
    void keyLengthsWithoutCausalMaskMatchReference() {
        AttentionSpec spec = new AttentionSpec(3, 17, 4, 12, (float) (1 / Math.sqrt(12)), false, new int[] {3, 17, 10});
        assertMatchesReference(spec, 2);
    }

    @Test
    void unmaskedLongSequenceMatchesReference() {
        // 300 keys and 64 columns per head: more than one work-group's width of keys per work-item.
        AttentionSpec spec = new AttentionSpec(2, 300, 2, 64, 0.125f, false, null);
        assertMatchesReference(spec, 3);
    }

    @Test
    void maskedKeysGetExactlyZeroWeight() {
        // One visible key: softmax gives it weight exactly 1, so every output row is exactly v[0], however
        // large the masked values are.
        int seqLen = 5, width = 6;
        AttentionSpec spec = new AttentionSpec(1, seqLen, 2, 3, 0.5f, false, new int[] {1});
        Random random = new Random(5);
        float[] q = OpenClTestSupport.randomValues(random, seqLen * width, 1);
        float[] k = OpenClTestSupport.randomValues(random, seqLen * width, 1);
        float[] v = new float[seqLen * width];
        Arrays.fill(v, 1e30f);
        for (int c = 0; c < width; c++) {
            v[c] = c + 0.25f;
        }
        float[] out = run(spec, q, k, v);
        for (int row = 0; row < seqLen; row++) {
            for (int c = 0; c < width; c++) {
                assertEquals(v[c], out[row * width + c], 0.0, "row " + row + ", column " + c);
            }
        }
    }

    @Test
    void sequenceWithNoVisibleKeyGetsZeros() {
        AttentionSpec spec = new AttentionSpec(2, 4, 1, 8, 0.3f, false, new int[] {0, 4});
        Random random = new Random(6);
        float[] q = OpenClTestSupport.randomValues(random, 8 * 8, 1);
        float[] k = OpenClTestSupport.randomValues(random, 8 * 8, 1);
        float[] v = OpenClTestSupport.randomValues(random, 8 * 8, 1);
        float[] out = run(spec, q, k, v);
        for (int i = 0; i < 4 * 8; i++) {
            assertEquals(0.0f, out[i], 0.0, "element " + i + " of the fully masked sequence");
        }
    }

    @Test
    void rejectsKeyLengthLongerThanTheSequence() {
        AttentionSpec spec = new AttentionSpec(1, 4, 1, 2, 1f, false, new int[] {5});
        try (Matrix m = backend.allocate(4, 2); Matrix out = backend.allocate(4, 2)) {
            assertThrows(InputException.class, () -> backend.attention(m, m, m, spec, out));
        }
    }

    @Test
    void rejectsMatricesOfTheWrongShape() {
        AttentionSpec spec = new AttentionSpec(2, 4, 2, 3, 1f, true, null);
        try (Matrix m = backend.allocate(8, 5); Matrix out = backend.allocate(8, 6)) {
            assertThrows(IllegalArgumentException.class, () -> backend.attention(m, m, m, spec, out));
        }
    }

    /** Random q, k, v with NaN in every masked key and value row: any leak of a masked key shows as NaN. */
    private static void assertMatchesReference(AttentionSpec spec, long seed) {
        int width = spec.numHeads() * spec.headDim();
        int count = spec.batch() * spec.seqLen() * width;
        Random random = new Random(seed);
        float[] q = OpenClTestSupport.randomValues(random, count, 1);
        float[] k = OpenClTestSupport.randomValues(random, count, 1);
        float[] v = OpenClTestSupport.randomValues(random, count, 1);
        for (int b = 0; b < spec.batch(); b++) {
            for (int j = spec.keyLength(b); j < spec.seqLen(); j++) {
                int rowStart = (b * spec.seqLen() + j) * width;
                Arrays.fill(k, rowStart, rowStart + width, Float.NaN);
                Arrays.fill(v, rowStart, rowStart + width, Float.NaN);
            }
        }
        double[] expected = References.attention(q, k, v, spec);
        float[] actual = run(spec, q, k, v);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            assertEquals(expected[i], actual[i], TOLERANCE, "row " + i / width + ", column " + i % width);
        }
        System.out.printf("attention batch %d, seqLen %d, heads %d, headDim %d, causal %b, keyLengths %s:"
                + " max abs error %.3g%n", spec.batch(), spec.seqLen(), spec.numHeads(), spec.headDim(), spec.causal(),
                spec.keyLengths() == null ? "none" : Arrays.toString(spec.keyLengths()), worst);
    }

    private static float[] run(AttentionSpec spec, float[] q, float[] k, float[] v) {
        int rows = spec.batch() * spec.seqLen();
        int width = spec.numHeads() * spec.headDim();
        try (Matrix query = backend.upload(q, rows, width);
             Matrix key = backend.upload(k, rows, width);
             Matrix value = backend.upload(v, rows, width);
             Matrix out = backend.allocate(rows, width)) {
            backend.attention(query, key, value, spec, out);
            return backend.download(out);
        }
    }
}
