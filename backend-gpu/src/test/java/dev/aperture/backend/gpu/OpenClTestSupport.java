package dev.aperture.backend.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared setup of the OpenCL-specific tests (what the backend does as a {@link dev.aperture.core.backend.Backend}
 * is {@link OpenClBackendContractTest}'s). A test that needs OpenCL is skipped only when OpenCL is genuinely
 * absent (no library, platform or device), and fails instead when the environment variable {@code CI} is set: a
 * GPU suite that silently skips in CI tests nothing.
 */
final class OpenClTestSupport {
    private OpenClTestSupport() {
    }

    /** A backend on the configured device ({@code aperture.opencl.device}), or skip/fail as described above. */
    static OpenClBackend openBackend() {
        requireOpenCl();
        return new OpenClBackend();
    }

    /** Returns when OpenCL is usable; otherwise fails in CI and skips elsewhere, with the probe's reason. */
    static void requireOpenCl() {
        OpenCl.Availability availability = OpenCl.probe();
        if (!availability.available() && runningInCi()) {
            fail("OpenCL is required in CI (environment variable CI is set) but is absent: " + availability.reason());
        }
        assumeTrue(availability.available(), () -> "OpenCL absent, skipping: " + availability.reason());
    }

    static boolean runningInCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }
}
