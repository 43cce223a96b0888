package dev.aperture.core.backend;

import dev.aperture.core.InputException;

/**
 * How to open a {@link Backend}: what {@link BackendProvider#open} is given. A backend ignores what does not apply
 * to it (the CPU backend has no device to select; an OpenCL device brings its own parallelism).
 *
 * @param threads CPU threads to split each operation over; {@code 0} means one per available processor
 * @param device  which device, in the backend's own selector syntax (OpenCL: an index of {@code aperture devices},
 *                {@code gpu}/{@code cpu}/{@code accelerator}, or a name substring); {@code null} for the backend's
 *                default, which may itself be configured (OpenCL: {@code -Daperture.opencl.device} or
 *                {@code APERTURE_OPENCL_DEVICE})
 */
public record BackendOptions(int threads, String device) {

    public BackendOptions {
        if (threads < 0) {
            throw new InputException("threads must be >= 0 (0: one per processor), got " + threads);
        }
        device = device == null || device.isBlank() ? null : device.strip();
    }

    /** One thread per processor, the default device. */
    public static BackendOptions defaults() {
        return new BackendOptions(0, null);
    }

    public BackendOptions withThreads(int count) {
        return new BackendOptions(count, device);
    }

    public BackendOptions withDevice(String selector) {
        return new BackendOptions(threads, selector);
    }

    /** {@link #threads()}, with {@code 0} resolved to the available processors. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
