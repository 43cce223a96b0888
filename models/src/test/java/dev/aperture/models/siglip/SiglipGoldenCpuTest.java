package dev.aperture.models.siglip;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.backend.Backend;

/** The SigLIP goldens on the CPU backend (2 threads). */
class SiglipGoldenCpuTest extends SiglipGoldenTests {
    @Override
    Backend createBackend() {
        return new CpuBackend(2);
    }
}
