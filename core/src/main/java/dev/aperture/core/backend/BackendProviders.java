package dev.aperture.core.backend;

import dev.aperture.core.BackendException;
import dev.aperture.core.InputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Finds the installed {@link BackendProvider}s ({@link ServiceLoader}: {@code META-INF/services} on the class
 * path, {@code provides} clauses on the module path) and opens a backend by name:
 * <ul>
 *   <li>a provider's name ({@code cpu}, {@code opencl}, whatever else is installed) opens that one, or fails
 *       with a {@link BackendException} carrying the provider's reason when it is unavailable here;</li>
 *   <li>{@value #AUTO} opens the available provider of highest {@link BackendProvider#priority()} (a GPU
 *       through OpenCL, else the CPU), falling back to the next when opening fails, and says once per process on
 *       stderr which it chose and why;</li>
 *   <li>any other name is an {@link InputException} listing the known ones.</li>
 * </ul>
 * This lives in core, next to the interface, so that whatever depends on core alone (a backend module's tests,
 * benchmarks, the CLI's option help) can select a backend without the models module.
 */
public final class BackendProviders {
    /** The name that picks the best available backend. */
    public static final String AUTO = "auto";

    private static final AtomicBoolean AUTO_REPORTED = new AtomicBoolean();

    private BackendProviders() {
    }

    /** Every installed provider, by name. */
    public static List<BackendProvider> installed() {
        return load().providers();
    }

    /** The names {@link #open} accepts: every installed provider's, then {@value #AUTO}. */
    public static List<String> names() {
        return names(installed());
    }

    /**
     * The installed provider called {@code name}.
     *
     * @throws InputException when none is (the message lists the known names)
     */
    public static BackendProvider find(String name) {
        Installed installed = load();
        return find(name, installed.providers(), installed.failures());
    }

    /**
     * Opens the backend called {@code name}, or the best available one for {@value #AUTO}.
     *
     * @throws InputException   for an unknown name (the message lists the known ones)
     * @throws BackendException when the named backend is unavailable here (the message gives the provider's
     *                          reason), or for {@code auto}, when none can be opened
     */
    public static Backend open(String name, BackendOptions options) {
        Installed installed = load();
        return open(name, options, installed.providers(), installed.failures(), BackendProviders::reportOnce);
    }

    /** {@link #open} over given providers, reporting {@code auto}'s choice to {@code report}; for tests. */
    static Backend open(String name, BackendOptions options, List<BackendProvider> providers, List<String> failures,
                        Consumer<String> report) {
        if (name == null) {
            throw new InputException("No backend name given (known: " + String.join(", ", names(providers)) + ")");
        }
        if (name.equals(AUTO)) {
            return openBest(options, providers, report);
        }
        BackendProvider provider = find(name, providers, failures);
        BackendProvider.Availability availability = provider.availability();
        if (!availability.available()) {
            throw new BackendException("Backend '" + name + "' is not available: " + availability.reason());
        }
        return provider.open(options);
    }

    static BackendProvider find(String name, List<BackendProvider> providers, List<String> failures) {
        List<BackendProvider> matches = providers.stream().filter(p -> p.name().equals(name)).toList();
        if (matches.size() > 1) {
            throw new BackendException("Several installed backends are named '" + name + "': "
                    + matches.stream().map(p -> p.getClass().getName()).toList());
        }
        if (matches.isEmpty()) {
            throw new InputException("Unknown backend '" + name + "' (known: " + String.join(", ", names(providers))
                    + ")" + (failures.isEmpty() ? "" : "; backends that failed to load: " + failures));
        }
        return matches.getFirst();
    }

    /** Tries the available providers from the highest priority down and opens the first that opens. */
    private static Backend openBest(BackendOptions options, List<BackendProvider> providers,
                                    Consumer<String> report) {
        record Candidate(BackendProvider provider, BackendProvider.Availability availability, int priority) {
        }
        List<Candidate> candidates = new ArrayList<>();
        List<String> passedOver = new ArrayList<>();
        for (BackendProvider provider : providers) {
            BackendProvider.Availability availability = provider.availability();
            if (availability.available()) {
                candidates.add(new Candidate(provider, availability, provider.priority()));
            } else {
                passedOver.add(provider.name() + " unavailable: " + availability.reason());
            }
        }
        // Highest priority first; equal priorities in name order, so the choice never depends on the class path.
        candidates.sort(Comparator.comparingInt(Candidate::priority).reversed()
                .thenComparing(c -> c.provider().name()));
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            Backend backend;
            try {
                backend = candidate.provider().open(options);
            } catch (BackendException e) {
                passedOver.add(candidate.provider().name() + " failed to open: " + e.getMessage());
                continue;
            }
            for (Candidate lower : candidates.subList(i + 1, candidates.size())) {
                passedOver.add(lower.provider().name() + " ranks lower (" + lower.priority() + " < "
                        + candidate.priority() + "): " + lower.availability().reason());
            }
            report.accept("aperture: backend auto: using " + candidate.provider().name() + " ("
                    + candidate.availability().reason() + ")"
                    + (passedOver.isEmpty() ? "" : "; " + String.join("; ", passedOver)));
            return backend;
        }
        throw new BackendException("No backend can be opened here (backend auto): "
                + (passedOver.isEmpty() ? "none is installed" : String.join("; ", passedOver)));
    }

    private static void reportOnce(String message) {
        if (AUTO_REPORTED.compareAndSet(false, true)) {
            System.err.println(message);
        }
    }

    private static List<String> names(List<BackendProvider> providers) {
        List<String> names = new ArrayList<>(providers.stream().map(BackendProvider::name).distinct().toList());
        names.add(AUTO);
        return names;
    }

    private record Installed(List<BackendProvider> providers, List<String> failures) {
    }

    /**
     * Instantiates every registered provider. One that fails to load (a broken jar, a missing native dependency
     * at class initialization) is remembered for the unknown-name message instead of hiding the others.
     */
    private static Installed load() {
        // On the module path ServiceLoader serves only the services a module declares: core's module-info.java says
        // `uses dev.aperture.core.backend.BackendProvider`.
        Iterator<BackendProvider> iterator = ServiceLoader.load(BackendProvider.class).iterator();
        Map<String, BackendProvider> byClass = new HashMap<>();
        List<BackendProvider> providers = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // ServiceLoader continues after a failed provider "on a best-effort basis"; the bound guards a loader
        // that keeps failing on the same entry.
        for (int attempts = 0; attempts < 1000; attempts++) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                BackendProvider provider = iterator.next();
                if (provider.name().equals(AUTO)) {
                    failures.add(provider.getClass().getName() + " calls itself '" + AUTO + "', which is reserved");
                } else if (byClass.putIfAbsent(provider.getClass().getName(), provider) == null) {
                    providers.add(provider);   // the same class registered twice (two copies of a jar) counts once
                }
            } catch (ServiceConfigurationError e) {
                failures.add(e.getMessage());
            }
        }
        providers.sort(Comparator.comparing(BackendProvider::name));
        return new Installed(List.copyOf(providers), List.copyOf(failures));
    }
}
