package dev.aperture.models;

import dev.aperture.core.backend.BackendProvider;
import dev.aperture.core.backend.BackendProviders;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Model tests on the OpenCL backend skip only when OpenCL is genuinely absent, and fail instead when the
 * environment variable {@code CI} is set (the backend-gpu tests follow the same rule): a GPU suite that silently
 * skips in CI tests nothing.
 */
public final class OpenClRequirement {
    private OpenClRequirement() {
    }

    public static void assumeAvailable() {
        BackendProvider.Availability availability = BackendProviders.find(Backends.OPENCL).availability();
        String ci = System.getenv("CI");
        boolean inCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
        if (!availability.available() && inCi) {
            fail("OpenCL is required in CI (environment variable CI is set) but is absent: " + availability.reason());
        }
        assumeTrue(availability.available(), () -> "OpenCL absent, skipping: " + availability.reason());
    }
}
