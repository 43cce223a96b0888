package dev.aperture.backend.gpu;

import java.util.List;

/**
 * One OpenCL device as the drivers describe it.
 *
 * @param index             position in {@link OpenCl#listDevices()} (platforms in driver order, then their devices);
 *                          the value {@code aperture.opencl.device} accepts
 * @param platform          the platform (driver) name, e.g. {@code "Portable Computing Language"}
 * @param name              the device name, e.g. {@code "NVIDIA H100 80GB HBM3"}
 * @param vendor            the device vendor
 * @param type              CPU, GPU, accelerator
 * @param computeUnits      parallel compute units (SMs, CUs, cores)
 * @param globalMemoryBytes device memory
 * @param localMemoryBytes  local (shared) memory per work-group
 * @param maxWorkGroupSize  most work-items in one work-group
 * @param openClCVersion    the OpenCL C version the compiler accepts, e.g. {@code "OpenCL C 1.2 pocl"}
 * @param extensions        supported extensions, e.g. {@code cl_khr_fp64}
 */
public record OpenClDevice(int index, String platform, String name, String vendor, Type type, int computeUnits,
                           long globalMemoryBytes, long localMemoryBytes, long maxWorkGroupSize,
                           String openClCVersion, List<String> extensions) {

    public OpenClDevice {
        extensions = List.copyOf(extensions);
    }

    /** The device kinds of {@code CL_DEVICE_TYPE}. */
    public enum Type {
        CPU, GPU, ACCELERATOR, OTHER;

        static Type fromBits(long bits) {
            if ((bits & ClDevices.CL_DEVICE_TYPE_GPU) != 0) {
                return GPU;
            }
            if ((bits & ClDevices.CL_DEVICE_TYPE_CPU) != 0) {
                return CPU;
            }
            if ((bits & ClDevices.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
                return ACCELERATOR;
            }
            return OTHER;
        }
    }

    /** One line for listings: {@code #0 GPU NVIDIA H100 (NVIDIA CUDA, 132 CUs, 79.6 GiB, OpenCL C 1.2)}. */
    public String summary() {
        return String.format("#%d %s %s (%s, %d compute units, %.1f GiB global, %d KiB local, %s)", index, type,
                name, platform, computeUnits, globalMemoryBytes / (1024.0 * 1024 * 1024), localMemoryBytes / 1024,
                openClCVersion);
    }
}
