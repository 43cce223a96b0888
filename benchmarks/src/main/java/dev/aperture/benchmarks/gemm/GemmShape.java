package dev.aperture.benchmarks.gemm;

import java.util.SplittableRandom;

/** An {@code m x n x k} GEMM shape parsed from a JMH parameter such as {@code "50x768x768"}, with random data. */
record GemmShape(int m, int n, int k) {
    static GemmShape parse(String text) {
        String[] parts = text.split("x");
        return new GemmShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** Floating-point operations of one multiply: a multiply and an add per (i, j, p). */
    double flops() {
        return 2.0 * m * n * k;
    }

    static float[] randomFloats(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
