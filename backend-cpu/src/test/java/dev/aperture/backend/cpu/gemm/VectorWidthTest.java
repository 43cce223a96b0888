package dev.aperture.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorWidthTest {
    @Test
    void honoursASupportedWidth() {
        assertEquals(128, VectorWidth.choose("128").vectorBitSize());
    }

    @Test
    void fallsBackToThePreferredWidthForUnsupportedOrMalformedValues() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(preferred, VectorWidth.choose(null).vectorBitSize());
        assertEquals(preferred, VectorWidth.choose("wide").vectorBitSize());
        assertEquals(preferred, VectorWidth.choose("1024").vectorBitSize());
        assertEquals(preferred, VectorWidth.choose("96").vectorBitSize());
    }

    @Test
    void usesTheSystemPropertyWhenSet() {
        String requested = System.getProperty(VectorWidth.PROPERTY);
        int expected = requested == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(requested);
        assertEquals(expected, VectorWidth.FLOATS.vectorBitSize());
        assertEquals(2 * VectorWidth.FLOATS.length(), Gemm.panelWidth());
    }
}
