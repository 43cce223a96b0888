package dev.aperture.models;

/** Small vector helpers used by the embedding APIs. */
public final class Vectors {
    private Vectors() {
    }

    /** A copy of {@code v} scaled to unit L2 norm (a zero vector stays zero). */
    public static float[] normalized(float[] v) {
        double sumOfSquares = 0;
        for (float x : v) {
            sumOfSquares += (double) x * x;
        }
        float[] out = new float[v.length];
        if (sumOfSquares == 0) {
            return out;
        }
        float norm = (float) Math.sqrt(sumOfSquares);
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    /** Each row {@link #normalized}, in a new array. */
    public static float[][] normalizedRows(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = normalized(rows[i]);
        }
        return out;
    }

    /** Dot product, accumulated in double. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors of length " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
