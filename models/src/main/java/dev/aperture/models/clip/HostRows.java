package dev.aperture.models.clip;

/** Converts between flat row-major arrays and one array per row. */
final class HostRows {
    private HostRows() {
    }

    /** Splits {@code flat} into {@code rows} equal rows. */
    static float[][] split(float[] flat, int rows) {
        int cols = flat.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }
}
