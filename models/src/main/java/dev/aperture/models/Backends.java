package dev.aperture.models;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;

/** Creates a compute backend by the name users give it: {@code cpu}, {@code opencl} or {@code auto}. */
public final class Backends {
    private Backends() {
    }

    /** The names {@link #open} accepts. */
    public static final String CPU = "cpu";
    public static final String AUTO = "auto";

    /**
     * Opens the named backend.
     *
     * @param threads CPU threads; 0 means one per available processor
     */
    public static Backend open(String name, int threads) {
        int cpuThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return switch (name) {
            case CPU, AUTO -> new CpuBackend(cpuThreads);
            default -> throw new InputException("Unknown backend '" + name + "' (known: cpu, auto)");
        };
    }
}
