package dev.aperture.backend.gpu;

import dev.aperture.testkit.BackendContractTest;

/**
 * The shared backend contract (core's test-jar) on the OpenCL backend, on the configured device
 * ({@code aperture.opencl.device}; PoCL in CI). Skipped where OpenCL is absent, failed instead when {@code CI} is set.
 */
class OpenClBackendContractTest extends BackendContractTest {
    OpenClBackendContractTest() {
        super(OpenClBackend.NAME);
    }
}
