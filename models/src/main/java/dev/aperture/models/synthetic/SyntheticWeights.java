package dev.aperture.models.synthetic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The weight generator of testdata/clip-b32-synthetic (README.txt, "GENERATOR SPEC"): every parameter is a
 * SplitMix64 stream seeded by the FNV-1a hash of its name, mapped to a uniform value around a per-kind center.
 * Deterministic and name-addressed, so any tensor can be regenerated alone, in any order, bit for bit.
 *
 * <p>The README's rules cover CLIP's names. SigLIP's own names are classified by the same rules read one step wider
 * (so no CLIP tensor changes): PyTorch's {@code in_proj_weight} and {@code in_proj_bias} count as a weight and a
 * bias, the pooling head's {@code probe} as an embedding, and {@code logit_bias}, like {@code logit_scale}, is a fixed
 * scalar.
 */
public final class SyntheticWeights {
    /**
     * The parameters that are not generated, with their values: CLIP's initial temperature {@code ln 100}, and for
     * SigLIP a bias that, like the trained models' (about -10 to -17), makes a random pair's sigmoid small.
     */
    private static final Map<String, Float> FIXED = Map.of("logit_scale", 4.6052f, "logit_bias", -10.0f);

    private SyntheticWeights() {
    }

    static long fnv1a64(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Draw {@code k} of the SplitMix64 stream starting at {@code seed}. */
    static long splitMix64(long seed, long k) {
        long z = seed + (k + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * All {@code count} elements of the named parameter (a fixed scalar repeated for {@code logit_scale} and
     * {@code logit_bias}, whose checkpoints store one element).
     *
     * @throws IllegalArgumentException for a name no rule classifies
     */
    public static float[] generate(String name, int count) {
        Float fixed = FIXED.get(name);
        if (fixed != null) {
            float[] values = new float[count];
            Arrays.fill(values, fixed);
            return values;
        }
        double[] kind = centerAndHalfWidth(name);
        double center = kind[0];
        double halfWidth = kind[1];
        float[] values = new float[count];
        long state = fnv1a64(name);
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= (z >>> 31);
            double u = (z >>> 40) / 16777216.0;
            values[i] = (float) (center + halfWidth * (2.0 * u - 1.0));
        }
        return values;
    }

    /** The README's classification rules b-f, first match wins, with SigLIP's names read as described above. */
    private static double[] centerAndHalfWidth(String name) {
        String[] parts = name.split("\\.");
        String module = parts.length >= 2 ? parts[parts.length - 2] : "";
        boolean isWeight = name.endsWith(".weight") || name.endsWith(".in_proj_weight");
        boolean isBias = name.endsWith(".bias") || name.endsWith(".in_proj_bias");
        if (module.contains("norm") && isWeight) {
            return new double[]{1.0, 0.1};
        }
        if (module.contains("norm") && isBias) {
            return new double[]{0.0, 0.05};
        }
        if (name.contains("_embedding") || name.endsWith(".probe")) {
            return new double[]{0.0, 0.04};
        }
        if (name.equals("text_projection.weight") || name.equals("visual_projection.weight")) {
            return new double[]{0.0, 0.04};
        }
        if (isWeight) {
            return new double[]{0.0, 0.04};
        }
        if (isBias) {
            return new double[]{0.0, 0.02};
        }
        throw new IllegalArgumentException("No synthetic-weight rule for parameter '" + name + "'");
    }
}
