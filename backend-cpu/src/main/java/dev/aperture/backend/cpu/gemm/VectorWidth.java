package dev.aperture.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that chooses the float vector width for every CPU kernel.
 *
 * <p>Default: the platform's preferred species (256 bits on AVX2, 512 on AVX-512). Override with
 * {@code -Daperture.vector.bits=128|256|512}; a width the platform cannot run falls back to the preferred one,
 * because an unsupported width silently runs as scalar Java code, which would be a 10x cliff.
 */
public final class VectorWidth {
    /** The system property that overrides the vector width. */
    public static final String PROPERTY = "aperture.vector.bits";

    /** The species every kernel uses. */
    public static final VectorSpecies<Float> FLOATS = choose(System.getProperty(PROPERTY));

    private VectorWidth() {
    }

    static VectorSpecies<Float> choose(String requestedBits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (requestedBits == null || requestedBits.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(requestedBits.trim());
        } catch (NumberFormatException e) {
            return preferred;
        }
        if (bits > preferred.vectorBitSize() || (bits != 128 && bits != 256 && bits != 512)) {
            return preferred;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
