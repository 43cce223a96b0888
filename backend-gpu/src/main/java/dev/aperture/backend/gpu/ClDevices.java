package dev.aperture.backend.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Enumerates platforms and their devices and reads what each device reports ({@code clGetDeviceInfo}). */
final class ClDevices {
    static final long CL_DEVICE_TYPE_CPU = 1L << 1;
    static final long CL_DEVICE_TYPE_GPU = 1L << 2;
    static final long CL_DEVICE_TYPE_ACCELERATOR = 1L << 3;
    private static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    private static final int CL_PLATFORM_NAME = 0x0902;
    private static final int CL_DEVICE_TYPE = 0x1000;
    private static final int CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    private static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    private static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    private static final int CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    private static final int CL_DEVICE_NAME = 0x102B;
    private static final int CL_DEVICE_VENDOR = 0x102C;
    private static final int CL_DEVICE_EXTENSIONS = 0x1030;
    private static final int CL_DEVICE_OPENCL_C_VERSION = 0x103D;

    /** A device's driver handles next to its description. Handles live as long as the driver (never released). */
    record Handle(MemorySegment platform, MemorySegment device, OpenClDevice info) {
    }

    private ClDevices() {
    }

    /**
     * Every device of every platform, in driver order.
     *
     * @throws OpenClUnavailableException when no platform is registered
     */
    static List<Handle> enumerate(ClApi api) {
        List<Handle> handles = new ArrayList<>();
        for (MemorySegment platform : platforms(api)) {
            String platformName = platformString(api, platform, CL_PLATFORM_NAME);
            for (MemorySegment device : devices(api, platform)) {
                handles.add(new Handle(platform, device, describe(api, handles.size(), platformName, device)));
            }
        }
        return handles;
    }

    private static List<MemorySegment> platforms(ClApi api) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = api.getPlatformIds(0, MemorySegment.NULL, count);
            if (status == ClStatus.CL_PLATFORM_NOT_FOUND_KHR || status == ClStatus.CL_SUCCESS && count.get(JAVA_INT, 0) == 0) {
                throw new OpenClUnavailableException("the OpenCL loader found no platform (no driver registered in "
                        + "/etc/OpenCL/vendors; on Debian/Ubuntu: apt-get install pocl-opencl-icd, or a GPU driver)");
            }
            ClApi.check("clGetPlatformIDs", status);
            int platformCount = count.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(ADDRESS, platformCount);
            ClApi.check("clGetPlatformIDs", api.getPlatformIds(platformCount, ids, MemorySegment.NULL));
            List<MemorySegment> platforms = new ArrayList<>();
            for (int i = 0; i < platformCount; i++) {
                platforms.add(ids.getAtIndex(ADDRESS, i));
            }
            return platforms;
        }
    }

    private static List<MemorySegment> devices(ClApi api, MemorySegment platform) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = api.getDeviceIds(platform, CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
            if (status == ClStatus.CL_DEVICE_NOT_FOUND) {
                return List.of();
            }
            ClApi.check("clGetDeviceIDs", status);
            int deviceCount = count.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(ADDRESS, Math.max(deviceCount, 1));
            ClApi.check("clGetDeviceIDs", api.getDeviceIds(platform, CL_DEVICE_TYPE_ALL, deviceCount, ids,
                    MemorySegment.NULL));
            List<MemorySegment> devices = new ArrayList<>();
            for (int i = 0; i < deviceCount; i++) {
                devices.add(ids.getAtIndex(ADDRESS, i));
            }
            return devices;
        }
    }

    private static OpenClDevice describe(ClApi api, int index, String platformName, MemorySegment device) {
        String extensions = deviceString(api, device, CL_DEVICE_EXTENSIONS);
        return new OpenClDevice(index, platformName,
                deviceString(api, device, CL_DEVICE_NAME),
                deviceString(api, device, CL_DEVICE_VENDOR),
                OpenClDevice.Type.fromBits(deviceLong(api, device, CL_DEVICE_TYPE)),
                (int) deviceInt(api, device, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(api, device, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(api, device, CL_DEVICE_LOCAL_MEM_SIZE),
                deviceLong(api, device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceString(api, device, CL_DEVICE_OPENCL_C_VERSION),
                Arrays.stream(extensions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    }

    private static long deviceLong(ClApi api, MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            ClApi.check("clGetDeviceInfo(0x" + Integer.toHexString(param) + ")",
                    api.getDeviceInfo(device, param, JAVA_LONG.byteSize(), value, MemorySegment.NULL));
            return value.get(JAVA_LONG, 0);
        }
    }

    private static long deviceInt(ClApi api, MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            ClApi.check("clGetDeviceInfo(0x" + Integer.toHexString(param) + ")",
                    api.getDeviceInfo(device, param, JAVA_INT.byteSize(), value, MemorySegment.NULL));
            return Integer.toUnsignedLong(value.get(JAVA_INT, 0));
        }
    }

    private static String deviceString(ClApi api, MemorySegment device, int param) {
        String call = "clGetDeviceInfo(0x" + Integer.toHexString(param) + ")";
        return queryString(call, (size, value, sizeRet) -> api.getDeviceInfo(device, param, size, value, sizeRet));
    }

    private static String platformString(ClApi api, MemorySegment platform, int param) {
        String call = "clGetPlatformInfo(0x" + Integer.toHexString(param) + ")";
        return queryString(call, (size, value, sizeRet) -> api.getPlatformInfo(platform, param, size, value, sizeRet));
    }

    /** A {@code clGet*Info} call with its object and parameter fixed. */
    @FunctionalInterface
    interface InfoQuery {
        int query(long size, MemorySegment value, MemorySegment sizeRet);
    }

    /** The two-step string query of OpenCL: ask the size, then the bytes; drops the trailing NUL. */
    static String queryString(String call, InfoQuery query) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClApi.check(call, query.query(0, MemorySegment.NULL, size));
            long length = size.get(JAVA_LONG, 0);
            if (length <= 1) {
                return "";
            }
            MemorySegment bytes = arena.allocate(length);
            ClApi.check(call, query.query(length, bytes, MemorySegment.NULL));
            byte[] array = bytes.toArray(JAVA_BYTE);
            int end = array.length;
            while (end > 0 && array[end - 1] == 0) {
                end--;
            }
            return new String(array, 0, end, StandardCharsets.UTF_8).trim();
        }
    }
}
