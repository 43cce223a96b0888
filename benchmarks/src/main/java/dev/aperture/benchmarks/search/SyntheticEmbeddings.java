package dev.aperture.benchmarks.search;

import java.util.SplittableRandom;

/**
 * Seeded stand-ins for image embeddings: L2-normalized vectors with structure, so that nearest neighbours mean
 * something. Uniform random unit vectors in 512 dimensions are all about equally far apart (cosines near 0), which
 * makes recall a measure of noise; real embeddings lie near a low-dimensional set, in clusters (photos of one kind).
 * So each vector is a point of a Gaussian mixture in a {@code latent}-dimensional space (cluster centres ~ N(0, I),
 * points ~ centre + N(0, I)), mapped to {@code dimensions} by one fixed Gaussian matrix, then normalized.
 *
 * <p>Vector {@code i} depends only on the seed and {@code i}, so each can be made where it is needed, by any thread,
 * instead of a million of them (2 GB at 512-d) sitting in the heap beside the index writer's buffer.
 */
final class SyntheticEmbeddings {
    private final int dimensions;
    private final int latent;
    private final long seed;
    private final float[][] centres;
    private final float[][] projection;

    SyntheticEmbeddings(int dimensions, int latent, int clusters, long seed) {
        this.dimensions = dimensions;
        this.latent = latent;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        centres = gaussian(random, clusters, latent);
        projection = gaussian(random, dimensions, latent);
    }

    /** {@code count} vectors, numbered from {@code first} (queries use numbers the indexed vectors do not). */
    float[][] vectors(long first, int count) {
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = vector(first + i);
        }
        return vectors;
    }

    /** Vector number {@code number}. */
    float[] vector(long number) {
        SplittableRandom random = new SplittableRandom(seed ^ (number * 0x9E3779B97F4A7C15L));
        float[] centre = centres[random.nextInt(centres.length)];
        float[] point = new float[latent];
        for (int j = 0; j < latent; j++) {
            point[j] = centre[j] + (float) random.nextGaussian();
        }
        float[] vector = new float[dimensions];
        double squares = 0;
        for (int d = 0; d < dimensions; d++) {
            float[] row = projection[d];
            float sum = 0;
            for (int j = 0; j < latent; j++) {
                sum += row[j] * point[j];
            }
            vector[d] = sum;
            squares += (double) sum * sum;
        }
        float inverseNorm = (float) (1 / Math.sqrt(squares));
        for (int d = 0; d < dimensions; d++) {
            vector[d] *= inverseNorm;
        }
        return vector;
    }

    private static float[][] gaussian(SplittableRandom random, int rows, int columns) {
        float[][] matrix = new float[rows][columns];
        for (float[] row : matrix) {
            for (int j = 0; j < columns; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return matrix;
    }
}
