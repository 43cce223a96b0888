package dev.aperture.backend.cpu;

import dev.aperture.core.backend.LinearWeights;

/**
 * Weights of {@code y = x·Wᵀ + b} converted to float32 on the heap: {@code weight} is {@code [out, in]} row-major,
 * so each output feature's weights are contiguous and a dot product with a row of x streams both arrays.
 *
 * @param bias {@code [out]}, or {@code null} for none
 */
record HostLinearWeights(int outFeatures, int inFeatures, float[] weight, float[] bias) implements LinearWeights {
}
