package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.VectorWidth;
import dev.aperture.core.BackendException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.BackendOptions;
import dev.aperture.core.backend.BackendProvider;

/**
 * Registers the {@link CpuBackend} as {@code cpu} (through {@code META-INF/services}). Available wherever the JVM
 * has the Vector API module, which the JVM must be started with ({@code --add-modules jdk.incubator.vector};
 * the {@code aperture} launcher does).
 */
public final class CpuBackendProvider implements BackendProvider {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** For {@link java.util.ServiceLoader}. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public Availability availability() {
        // Checked before touching any kernel class: without the module they fail to load with NoClassDefFoundError.
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Availability.unavailable("the JVM was started without the Vector API (add --add-modules "
                    + VECTOR_MODULE + ")");
        }
        return Availability.available("JDK Vector API, " + VectorWidth.FLOATS.vectorBitSize() + "-bit vectors, "
                + Runtime.getRuntime().availableProcessors() + " processors");
    }

    @Override
    public int priority() {
        return CPU_PRIORITY;
    }

    /** A backend on {@link BackendOptions#resolvedThreads()} threads; the device selector does not apply. */
    @Override
    public Backend open(BackendOptions options) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new BackendException("The CPU backend is not available: " + availability.reason());
        }
        return new CpuBackend(options.resolvedThreads());
    }
}
