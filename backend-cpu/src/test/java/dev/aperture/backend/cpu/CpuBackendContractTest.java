package dev.aperture.backend.cpu;

import dev.aperture.testkit.BackendContractTest;

/** The shared backend contract (core's test-jar) on the CPU backend, with two threads. */
class CpuBackendContractTest extends BackendContractTest {
    CpuBackendContractTest() {
        super(CpuBackend.NAME);
    }
}
