package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.PackedMatrix;
import dev.aperture.core.backend.LinearWeights;

/**
 * Weights of {@code y = x·Wᵀ + b} as the CPU backend prepared them: {@code W} packed once into GEMM panels.
 *
 * @param owner the backend that prepared them (the only one that may use them)
 * @param name  the weight tensor's name, for messages
 * @param bias  {@code [out]}, or {@code null} for none
 */
record HostLinearWeights(CpuBackend owner, String name, PackedMatrix packed, float[] bias) implements LinearWeights {
    @Override
    public int outFeatures() {
        return packed.outFeatures();
    }

    @Override
    public int inFeatures() {
        return packed.inFeatures();
    }

    @Override
    public String toString() {
        return "CPU linear weights '" + name + "' [" + outFeatures() + ", " + inFeatures() + "]";
    }
}
