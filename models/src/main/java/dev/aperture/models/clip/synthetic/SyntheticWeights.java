package dev.aperture.models.clip.synthetic;

import java.nio.charset.StandardCharsets;

/**
 * The weight generator of testdata/clip-b32-synthetic (README.txt, "GENERATOR SPEC"): every parameter is a
 * SplitMix64 stream seeded by the FNV-1a hash of its name, mapped to a uniform value around a per-kind center.
 * Deterministic and name-addressed, so any tensor can be regenerated alone, in any order, bit for bit.
 * {@link SyntheticClip} builds whole models from it.
 */
final class SyntheticWeights {
    /** The fixed value of the one parameter that is not generated. */
    static final float LOGIT_SCALE = 4.6052f;

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

    /** All {@code count} elements of the named parameter. */
    static float[] generate(String name, int count) {
        if (name.equals("logit_scale")) {
            return new float[]{LOGIT_SCALE};
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

    /** The README's classification rules b-f, first match wins. */
    private static double[] centerAndHalfWidth(String name) {
        String[] parts = name.split("\\.");
        String module = parts.length >= 2 ? parts[parts.length - 2] : "";
        boolean isWeight = name.endsWith(".weight");
        boolean isBias = name.endsWith(".bias");
        if (module.contains("norm") && isWeight) {
            return new double[]{1.0, 0.1};
        }
        if (module.contains("norm") && isBias) {
            return new double[]{0.0, 0.05};
        }
        if (name.contains("_embedding")) {
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
