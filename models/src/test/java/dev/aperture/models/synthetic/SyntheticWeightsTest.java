package dev.aperture.models.synthetic;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator itself; its CLIP tensors against the fixture's manifest: ClipB32SyntheticWeightsTest. */
class SyntheticWeightsTest {
    @Test
    void generatorReproducesReadmeSelfTestVectors() {
        assertEquals(0xcbf29ce484222325L, SyntheticWeights.fnv1a64(""));
        assertEquals(0xccda59a2223ea645L, SyntheticWeights.fnv1a64("logit_scale"));
        assertEquals(0xe220a8397b1dcdafL, SyntheticWeights.splitMix64(0, 0));
        assertEquals(0x6e789e6aa1b965f4L, SyntheticWeights.splitMix64(0, 1));
        assertEquals(0x06c45d188009454fL, SyntheticWeights.splitMix64(0, 2));
    }

    @Test
    void logitScaleAndBiasAreFixedScalars() {
        assertArrayEquals(new float[]{4.6052f}, SyntheticWeights.generate("logit_scale", 1));
        assertArrayEquals(new float[]{-10.0f}, SyntheticWeights.generate("logit_bias", 1));
    }

    /** SigLIP's names beyond the README's rules: PyTorch's stacked in_proj and the pooling probe. */
    @Test
    void siglipPoolingHeadNamesGetTheRangeOfTheirKind() {
        assertWithin(SyntheticWeights.generate("vision_model.head.attention.in_proj_weight", 3000), 0.0, 0.04);
        assertWithin(SyntheticWeights.generate("vision_model.head.attention.in_proj_bias", 3000), 0.0, 0.02);
        assertWithin(SyntheticWeights.generate("vision_model.head.probe", 3000), 0.0, 0.04);
        assertWithin(SyntheticWeights.generate("vision_model.head.layernorm.weight", 3000), 1.0, 0.1);
        assertNotEquals(SyntheticWeights.generate("vision_model.head.probe", 1)[0],
                SyntheticWeights.generate("vision_model.head.attention.in_proj_weight", 1)[0]);
    }

    @Test
    void unclassifiableNameIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SyntheticWeights.generate("vision_model.head.something", 4));
        assertTrue(error.getMessage().contains("vision_model.head.something"), error.getMessage());
    }

    /** Every value in {@code center ± halfWidth}, and the range mostly used (not a constant, not a narrower kind). */
    private static void assertWithin(float[] values, double center, double halfWidth) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertTrue(min >= center - halfWidth - 1e-6 && max <= center + halfWidth + 1e-6, min + " .. " + max);
        assertTrue(max - min > 1.9 * halfWidth, "spread " + (max - min) + " of " + 2 * halfWidth);
    }
}
