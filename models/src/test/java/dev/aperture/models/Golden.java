package dev.aperture.models;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The max-abs-error comparison every golden test uses (each measured error is printed). */
public final class Golden {
    private Golden() {
    }


    public static float[] flatten(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return flat;
    }

    /** Asserts {@code max |expected − actual| ≤ tolerance} and prints the measured maximum. */
    public static void assertMaxError(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double maxError = 0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) expected[i] - actual[i]);
            if (!(error <= maxError)) {
                maxError = error;
                worst = i;
            }
        }
        System.out.printf("GOLDEN %-60s max abs error %.3e (tolerance %.0e)%n", what, maxError, tolerance);
        final double measured = maxError;
        final int at = worst;
        assertTrue(measured <= tolerance, () -> what + ": max abs error " + measured + " at index " + at
                + " (expected " + expected[at] + ", got " + actual[at] + ") exceeds " + tolerance);
    }

    public static float[] normalized(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        float norm = (float) Math.sqrt(sum);
        float[] out = vector.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= norm;
        }
        return out;
    }

    /** {@code scale · normalize(image_i) · normalize(text_j)}, {@code [images, texts]} flattened. */
    public static float[] logitsPerImage(float[][] imageFeatures, float[][] textFeatures, float scale) {
        float[] logits = new float[imageFeatures.length * textFeatures.length];
        for (int i = 0; i < imageFeatures.length; i++) {
            float[] image = normalized(imageFeatures[i]);
            for (int t = 0; t < textFeatures.length; t++) {
                float[] text = normalized(textFeatures[t]);
                double dot = 0;
                for (int d = 0; d < image.length; d++) {
                    dot += (double) image[d] * text[d];
                }
                logits[i * textFeatures.length + t] = (float) (scale * dot);
            }
        }
        return logits;
    }

    public static float[][] normalizedRows(float[][] rows) {
        return Arrays.stream(rows).map(Golden::normalized).toArray(float[][]::new);
    }
}
