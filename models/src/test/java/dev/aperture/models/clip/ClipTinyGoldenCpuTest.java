package dev.aperture.models.clip;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.backend.Backend;

/** The clip-tiny goldens on the CPU backend (2 threads). */
class ClipTinyGoldenCpuTest extends ClipTinyGoldenTests {
    @Override
    Backend createBackend() {
        return new CpuBackend(2);
    }
}
