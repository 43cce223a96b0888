package dev.aperture.backend.gpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OpenCl#listDevices()} and device selection by index, type and name. */
class DeviceListingTest {
    private static List<OpenClDevice> devices;

    @BeforeAll
    static void listDevices() {
        OpenClTestSupport.requireOpenCl();
        devices = OpenCl.listDevices();
        devices.forEach(device -> System.out.println(device.summary()));
    }

    @Test
    void listsAtLeastOneDeviceWithPlausibleProperties() {
        assertFalse(devices.isEmpty());
        for (int i = 0; i < devices.size(); i++) {
            OpenClDevice device = devices.get(i);
            assertEquals(i, device.index());
            assertFalse(device.name().isBlank(), "name of " + device);
            assertFalse(device.platform().isBlank(), "platform of " + device);
            assertTrue(device.computeUnits() > 0, "compute units of " + device);
            assertTrue(device.globalMemoryBytes() > 0, "global memory of " + device);
            assertTrue(device.localMemoryBytes() >= 16 * 1024, "OpenCL 1.2 guarantees 16 KiB local: " + device);
            assertTrue(device.maxWorkGroupSize() >= 1, "work-group size of " + device);
            assertTrue(device.openClCVersion().startsWith("OpenCL C "), device.openClCVersion());
        }
    }

    @Test
    void selectsByIndex() {
        int last = devices.size() - 1;
        try (OpenClBackend backend = new OpenClBackend(Integer.toString(last))) {
            assertEquals(devices.get(last), backend.device());
        }
    }

    @Test
    void selectsByTypeName() {
        OpenClDevice first = devices.getFirst();
        try (OpenClBackend backend = new OpenClBackend(first.type().name().toLowerCase(Locale.ROOT))) {
            assertEquals(first.type(), backend.device().type());
        }
    }

    @Test
    void selectsByNameSubstringIgnoringCase() {
        OpenClDevice first = devices.getFirst();
        try (OpenClBackend backend = new OpenClBackend(first.name().toUpperCase(Locale.ROOT))) {
            assertEquals(first.name(), backend.device().name());
        }
    }

    @Test
    void automaticSelectionPrefersAGpu() {
        boolean anyGpu = devices.stream().anyMatch(d -> d.type() == OpenClDevice.Type.GPU);
        OpenClDevice chosen = OpenCl.select(null).info();
        assertEquals(anyGpu ? OpenClDevice.Type.GPU : devices.getFirst().type(), chosen.type());
    }

    @Test
    void rejectsASelectorMatchingNothingNamingIt() {
        var error = assertThrows(OpenClUnavailableException.class, () -> new OpenClBackend("no-such-device-xyz"));
        assertTrue(error.getMessage().contains("no-such-device-xyz"), error.getMessage());
    }

    @Test
    void rejectsAnIndexPastTheLastDevice() {
        assertThrows(OpenClUnavailableException.class, () -> new OpenClBackend(Integer.toString(devices.size())));
    }
}
