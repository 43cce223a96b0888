package dev.aperture.benchmarks;

import java.util.Random;

/** Image-tower inputs for the benchmarks: random values shaped like preprocessed images. */
public final class PreprocessedPixels {
    private PreprocessedPixels() {
    }

    /**
     * {@code images} rows of {@code pixelCount} values, Gaussian like normalized pixels (mean 0, spread about 1), the
     * same for every run (seed 42). The towers' cost does not depend on the values.
     */
    public static float[][] random(int images, int pixelCount) {
        Random random = new Random(42);
        float[][] pixels = new float[images][pixelCount];
        for (float[] image : pixels) {
            for (int i = 0; i < pixelCount; i++) {
                image[i] = (float) random.nextGaussian();
            }
        }
        return pixels;
    }
}
