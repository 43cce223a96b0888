package dev.aperture.models;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.backend.gpu.OpenCl;
import dev.aperture.backend.gpu.OpenClBackend;
import dev.aperture.backend.gpu.OpenClDevice;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Creates a compute backend by the name users give it:
 * <ul>
 *   <li>{@code cpu}: the Vector API backend;</li>
 *   <li>{@code opencl}: the OpenCL backend on the configured device (system property {@code aperture.opencl.device}
 *       or {@code APERTURE_OPENCL_DEVICE}), else the first GPU, else the first device; fails with a clear
 *       {@link dev.aperture.core.BackendException} when OpenCL is absent;</li>
 *   <li>{@code auto}: OpenCL when a GPU is present, else the CPU, saying so once on stderr.</li>
 * </ul>
 */
public final class Backends {
    public static final String CPU = "cpu";
    public static final String OPENCL = "opencl";
    public static final String AUTO = "auto";

    private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();

    private Backends() {
    }

    /**
     * Opens the named backend.
     *
     * @param threads CPU threads; 0 means one per available processor
     */
    public static Backend open(String name, int threads) {
        return switch (name) {
            case CPU -> new CpuBackend(cpuThreads(threads));
            case OPENCL -> new OpenClBackend();
            case AUTO -> openAuto(threads);
            default -> throw new InputException("Unknown backend '" + name + "' (known: cpu, opencl, auto)");
        };
    }

    private static Backend openAuto(int threads) {
        String reason;
        OpenCl.Availability availability = OpenCl.probe();
        if (availability.available()) {
            boolean hasGpu = OpenCl.listDevices().stream().anyMatch(d -> d.type() == OpenClDevice.Type.GPU);
            if (hasGpu) {
                return new OpenClBackend(OpenCl.configuredSelector() != null ? OpenCl.configuredSelector() : "gpu");
            }
            reason = "OpenCL has no GPU device";
        } else {
            reason = availability.reason();
        }
        if (FALLBACK_REPORTED.compareAndSet(false, true)) {
            System.err.println("aperture: backend auto: " + reason + "; using the CPU backend");
        }
        return new CpuBackend(cpuThreads(threads));
    }

    private static int cpuThreads(int threads) {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
