package dev.aperture.core.backend;

import dev.aperture.core.BackendException;

/**
 * A {@link Backend} implementation as a plug-in: each backend module registers one provider, and
 * {@link BackendProviders} finds them at run time with {@link java.util.ServiceLoader}, so nothing depends on a
 * backend module at compile time.
 *
 * <p>To add a backend, write a module with a public final class implementing this interface with a public
 * no-argument constructor, and list it in {@code META-INF/services/dev.aperture.core.backend.BackendProvider}
 * (on the module path, {@code provides dev.aperture.core.backend.BackendProvider with ...} in its
 * {@code module-info.java} does the same). Its tests extend the shared contract suite, core's test-jar class
 * {@code dev.aperture.testkit.BackendContractTest}.
 *
 * <p>Providers are cheap to construct and hold no resources; only {@link #open} does.
 */
public interface BackendProvider {

    /** Where the CPU backend ranks for {@code auto}. */
    int CPU_PRIORITY = 100;
    /** Where a backend on a GPU or other accelerator ranks for {@code auto}: above the CPU. */
    int ACCELERATOR_PRIORITY = 200;

    /**
     * The name users select it by ({@code --backend cpu}, {@code ModelOptions.withBackend("cpu")}): lower case,
     * unique among installed providers, never {@code auto}. {@link Backend#name()} of what it opens returns it too.
     */
    String name();

    /**
     * Whether {@link #open} can succeed on this machine, and why (not). May probe drivers; called once per lookup,
     * never cached by the caller.
     */
    Availability availability();

    /**
     * Rank for {@code auto}, which opens the available provider with the highest: {@link #CPU_PRIORITY} for the
     * CPU, {@link #ACCELERATOR_PRIORITY} when the backend would run on a GPU, below the CPU's when it would run
     * on hardware the CPU backend serves better (OpenCL on a CPU device). Asked only of available providers, and
     * may depend on what the machine has.
     */
    int priority();

    /**
     * Opens a backend; the caller closes it.
     *
     * @throws BackendException when it cannot be opened here (unavailable, no matching device, a driver error),
     *                          the message saying why
     */
    Backend open(BackendOptions options);

    /**
     * Whether a provider can open a backend here.
     *
     * @param available whether {@link #open} can be expected to succeed
     * @param reason    why not, when unavailable ({@code "no OpenCL library: libOpenCL.so.1 not found"}); what it
     *                  would run on, when available ({@code "GPU NVIDIA H200 (OpenCL device #0)"}); never blank
     */
    record Availability(boolean available, String reason) {
        public Availability {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("An availability needs a reason");
            }
        }

        /** Available, running on what {@code description} says. */
        public static Availability available(String description) {
            return new Availability(true, description);
        }

        /** Unavailable, for {@code reason}. */
        public static Availability unavailable(String reason) {
            return new Availability(false, reason);
        }
    }
}
