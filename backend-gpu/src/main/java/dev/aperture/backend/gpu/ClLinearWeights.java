package dev.aperture.backend.gpu;

import dev.aperture.core.backend.LinearWeights;

/** W ({@code [out, in]}, float32) and b ({@code [out]} or absent) uploaded once to the device. */
record ClLinearWeights(OpenClBackend owner, String name, ClBuffer weight, ClBuffer bias, int outFeatures,
                       int inFeatures) implements LinearWeights {
    @Override
    public String toString() {
        return "OpenCL linear weights '" + name + "' [" + outFeatures + ", " + inFeatures + "]";
    }
}
