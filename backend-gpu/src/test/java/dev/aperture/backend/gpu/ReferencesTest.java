package dev.aperture.backend.gpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The test references themselves, checked against published values (no OpenCL needed). */
class ReferencesTest {
    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.5204998778130465, References.erf(0.5), 1e-14);
        assertEquals(0.8427007929497149, References.erf(1), 1e-14);
        assertEquals(-0.9953222650189527, References.erf(-2), 1e-14);
        assertEquals(0.9999992569016276, References.erf(3.5), 1e-14);
        assertEquals(0.0, References.erf(0), 0);
    }

    @Test
    void geluOfOneIsOneTimesPhiOfOne() {
        assertEquals(0.8413447460685429, References.gelu(1), 1e-14);
    }
}
