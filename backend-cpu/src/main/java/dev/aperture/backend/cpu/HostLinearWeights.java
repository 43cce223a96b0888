package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.PackedMatrix;
import dev.aperture.core.backend.LinearWeights;

/**
 * Weights of {@code y = x·Wᵀ + b} as the CPU backend prepared them: {@code W} packed once into GEMM panels.
 *
 * @param bias {@code [out]}, or {@code null} for none
 */
record HostLinearWeights(PackedMatrix packed, float[] bias) implements LinearWeights {
    @Override
    public int outFeatures() {
        return packed.outFeatures();
    }

    @Override
    public int inFeatures() {
        return packed.inFeatures();
    }
}
