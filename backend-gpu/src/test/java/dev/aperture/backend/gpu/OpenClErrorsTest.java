package dev.aperture.backend.gpu;

import dev.aperture.core.BackendException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How OpenCL failures are reported: status names, a missing library, a kernel that does not compile. */
class OpenClErrorsTest {

    @Test
    void statusCodesAreReportedByName() {
        assertEquals("CL_SUCCESS", ClStatus.name(0));
        assertEquals("CL_OUT_OF_RESOURCES", ClStatus.name(-5));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", ClStatus.name(-11));
        assertEquals("CL_INVALID_VALUE", ClStatus.name(-30));
        assertEquals("CL_INVALID_WORK_GROUP_SIZE", ClStatus.name(-54));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClStatus.name(-1001));
        assertEquals("CL status -9999", ClStatus.name(-9999));
    }

    @Test
    void failedCallNamesTheCallAndTheStatus() {
        var error = assertThrows(OpenClException.class, () -> ClApi.check("clCreateBuffer(64 bytes)", -61));
        assertInstanceOf(BackendException.class, error);
        assertEquals("clCreateBuffer(64 bytes) failed: CL_INVALID_BUFFER_SIZE (-61)", error.getMessage());
        assertEquals("CL_INVALID_BUFFER_SIZE", error.statusName());
    }

    @Test
    void missingLibraryIsReportedAsUnavailableNamingIt() {
        var error = assertThrows(OpenClUnavailableException.class,
                () -> ClApi.load(List.of("libNoSuchOpenCL.so.42")));
        assertInstanceOf(BackendException.class, error);
        assertTrue(error.getMessage().contains("libNoSuchOpenCL.so.42"), error.getMessage());
    }

    @Test
    void probeGivesAReasonEitherWay() {
        OpenCl.Availability availability = OpenCl.probe();
        assertTrue(!availability.reason().isBlank());
        assertEquals(availability.available(), OpenClBackend.isAvailable());
    }

    @Test
    void kernelThatDoesNotCompileReportsTheBuildLog() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend()) {
            var error = assertThrows(OpenClException.class, () -> backend.buildProgram("broken.cl",
                    "__kernel void broken(__global float* x) { x[0] = undeclaredVariable; }"));
            assertEquals("CL_BUILD_PROGRAM_FAILURE", error.statusName());
            assertTrue(error.getMessage().contains("clBuildProgram(broken.cl)"), error.getMessage());
            assertTrue(error.getMessage().contains("undeclaredVariable"), "build log missing: " + error.getMessage());
        }
    }
}
