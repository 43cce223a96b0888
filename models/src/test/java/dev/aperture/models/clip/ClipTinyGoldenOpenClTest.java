package dev.aperture.models.clip;

import dev.aperture.backend.gpu.OpenClBackend;
import dev.aperture.core.backend.Backend;
import dev.aperture.models.OpenClRequirement;
import org.junit.jupiter.api.Tag;

/** The clip-tiny goldens on the OpenCL backend (PoCL in CI), at the CPU's tolerances. */
@Tag("slow")
class ClipTinyGoldenOpenClTest extends ClipTinyGoldenTests {
    @Override
    Backend createBackend() {
        OpenClRequirement.assumeAvailable();
        return new OpenClBackend();
    }
}
