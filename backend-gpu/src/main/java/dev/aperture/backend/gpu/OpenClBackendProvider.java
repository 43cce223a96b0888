package dev.aperture.backend.gpu;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.BackendOptions;
import dev.aperture.core.backend.BackendProvider;

/**
 * Registers the {@link OpenClBackend} as {@code opencl} (through {@code META-INF/services}). Available when the
 * OpenCL library loads and the configured device ({@value OpenCl#DEVICE_PROPERTY},
 * {@value OpenCl#DEVICE_ENVIRONMENT}; by default the first GPU, else the first device) exists. For {@code auto} it
 * ranks above the CPU backend only when that device is a GPU or an accelerator: on an OpenCL CPU device (PoCL)
 * the Vector API backend is the better choice.
 */
public final class OpenClBackendProvider implements BackendProvider {
    /** Below {@link #CPU_PRIORITY}: OpenCL on a CPU device, chosen by {@code auto} only if the CPU backend is not. */
    static final int CPU_DEVICE_PRIORITY = 50;

    /** For {@link java.util.ServiceLoader}. */
    public OpenClBackendProvider() {
    }

    @Override
    public String name() {
        return OpenClBackend.NAME;
    }

    @Override
    public Availability availability() {
        try {
            OpenClDevice device = OpenCl.select(OpenCl.configuredSelector()).info();
            return Availability.available(device.type() + " " + device.name() + " (OpenCL device #" + device.index()
                    + ", " + device.platform() + ")");
        } catch (OpenClUnavailableException e) {
            return Availability.unavailable(e.reason());
        } catch (OpenClException e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    @Override
    public int priority() {
        try {
            return isAccelerator(OpenCl.select(OpenCl.configuredSelector()).info())
                    ? ACCELERATOR_PRIORITY : CPU_DEVICE_PRIORITY;
        } catch (OpenClUnavailableException | OpenClException e) {
            return CPU_DEVICE_PRIORITY;
        }
    }

    /**
     * A backend on {@link BackendOptions#device()}, else the configured device.
     *
     * @throws OpenClUnavailableException when OpenCL is absent or no device matches (the message says why)
     */
    @Override
    public Backend open(BackendOptions options) {
        return new OpenClBackend(options.device() != null ? options.device() : OpenCl.configuredSelector());
    }

    private static boolean isAccelerator(OpenClDevice device) {
        return device.type() == OpenClDevice.Type.GPU || device.type() == OpenClDevice.Type.ACCELERATOR;
    }
}
