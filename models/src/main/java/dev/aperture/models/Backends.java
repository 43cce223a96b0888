package dev.aperture.models;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.BackendOptions;
import dev.aperture.core.backend.BackendProviders;

/**
 * Opens the compute backend a model runs on, by the name users give it ({@link ModelOptions#backend()}): any
 * installed backend's name ({@value #CPU}, {@value #OPENCL}, ...), or {@value #AUTO} for the best available one.
 * The backends are plug-ins found at run time ({@link dev.aperture.core.backend.BackendProvider}); this module does
 * not depend on any of them at compile time. See {@link BackendProviders#open} for what each name does and how it
 * fails.
 */
public final class Backends {
    /** The Vector API backend (module aperture-backend-cpu). */
    public static final String CPU = "cpu";
    /** The OpenCL backend (module aperture-backend-gpu). */
    public static final String OPENCL = "opencl";
    /** The available backend of highest priority: a GPU through OpenCL, else the CPU. */
    public static final String AUTO = BackendProviders.AUTO;

    private Backends() {
    }

    /**
     * Opens the named backend on the default device (OpenCL: {@code aperture.opencl.device} or
     * {@code APERTURE_OPENCL_DEVICE}, else the first GPU, else the first device).
     *
     * @param threads CPU threads; 0 means one per available processor
     * @throws dev.aperture.core.InputException   for an unknown name (the message lists the known ones)
     * @throws dev.aperture.core.BackendException when that backend is unavailable here (the message says why)
     */
    public static Backend open(String name, int threads) {
        return BackendProviders.open(name, BackendOptions.defaults().withThreads(threads));
    }
}
