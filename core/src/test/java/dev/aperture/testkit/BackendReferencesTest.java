package dev.aperture.testkit;

import dev.aperture.core.backend.AttentionSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract suite's references themselves, checked against published values and hand-computed cases. */
class BackendReferencesTest {
    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.5204998778130465, BackendReferences.erf(0.5), 1e-14);
        assertEquals(0.8427007929497149, BackendReferences.erf(1), 1e-14);
        assertEquals(-0.9953222650189527, BackendReferences.erf(-2), 1e-14);
        assertEquals(0.9999992569016276, BackendReferences.erf(3.5), 1e-14);
        assertEquals(0.0, BackendReferences.erf(0), 0);
    }

    @Test
    void geluOfOneIsOneTimesPhiOfOne() {
        assertEquals(0.8413447460685429, BackendReferences.gelu(1), 1e-14);
    }

    @Test
    void attentionOfOneVisibleKeyCopiesItsValue() {
        AttentionSpec spec = new AttentionSpec(1, 3, 1, 1, 1f, false, new int[] {1});
        float[] q = {1, 2, 3};
        float[] k = {4, 5, 6};
        float[] v = {7, Float.NaN, Float.NaN};
        assertArrayEquals(new double[] {7, 7, 7}, BackendReferences.attention(q, k, v, spec), 0);
    }

    @Test
    void attentionWithoutVisibleKeysAveragesTheCausallyAllowedValues() {
        AttentionSpec spec = new AttentionSpec(1, 3, 1, 1, 1f, true, new int[] {0});
        float[] q = {1, 2, 3};
        float[] k = {4, 5, 6};
        float[] v = {3, 6, 9};
        assertArrayEquals(new double[] {3, 4.5, 6}, BackendReferences.attention(q, k, v, spec), 1e-12);
    }
}
