package dev.aperture.models.transformer;

import java.util.Arrays;

/** Converts between flat row-major arrays and one array per row. */
public final class HostRows {
    private HostRows() {
    }

    /** Splits {@code flat} into {@code rows} equal rows. */
    public static float[][] split(float[] flat, int rows) {
        int cols = flat.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }
}
