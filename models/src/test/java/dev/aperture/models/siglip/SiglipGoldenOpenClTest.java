package dev.aperture.models.siglip;

import dev.aperture.backend.gpu.OpenClBackend;
import dev.aperture.core.backend.Backend;
import dev.aperture.models.OpenClRequirement;
import org.junit.jupiter.api.Tag;

/** The SigLIP goldens on the OpenCL backend (PoCL in CI), at the CPU's tolerances. */
@Tag("slow")
class SiglipGoldenOpenClTest extends SiglipGoldenTests {
    @Override
    Backend createBackend() {
        OpenClRequirement.assumeAvailable();
        return new OpenClBackend();
    }
}
