package dev.aperture.core.backend;

import dev.aperture.core.BackendException;
import dev.aperture.core.InputException;
import dev.aperture.core.tensor.TensorView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lookup by name and {@code auto}'s choice, over stand-in providers (core itself registers none). */
class BackendProvidersTest {
    private final List<String> reports = new ArrayList<>();

    @Test
    void opensTheProviderOfTheGivenName() {
        Backend backend = open("fast", provider("slow", 100, true), provider("fast", 200, true));
        assertEquals("fast", backend.name());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        InputException error = assertThrows(InputException.class,
                () -> open("tpu", provider("cpu", 100, true), provider("opencl", 200, false)));
        assertEquals("Unknown backend 'tpu' (known: cpu, opencl, auto)", error.getMessage());
    }

    @Test
    void unavailableNamedBackendGivesTheProvidersReason() {
        BackendException error = assertThrows(BackendException.class,
                () -> open("opencl", provider("cpu", 100, true), provider("opencl", 200, false)));
        assertEquals("Backend 'opencl' is not available: opencl is switched off", error.getMessage());
    }

    @Test
    void autoOpensTheAvailableProviderOfHighestPriorityAndSaysWhy() {
        Backend backend = open(BackendProviders.AUTO, provider("cpu", 100, true), provider("opencl", 200, true),
                provider("tpu", 300, false));
        assertEquals("opencl", backend.name());
        assertEquals(List.of("aperture: backend auto: using opencl (opencl is ready); tpu unavailable: tpu is"
                + " switched off; cpu ranks lower (100 < 200): cpu is ready"), reports);
    }

    @Test
    void autoFallsBackWhenTheBestFailsToOpen() {
        BackendProvider broken = new StandIn("opencl", 200, true) {
            @Override
            public Backend open(BackendOptions options) {
                throw new BackendException("clCreateContext failed");
            }
        };
        Backend backend = open(BackendProviders.AUTO, provider("cpu", 100, true), broken);
        assertEquals("cpu", backend.name());
        assertTrue(reports.getFirst().contains("opencl failed to open: clCreateContext failed"), reports.getFirst());
    }

    @Test
    void autoBreaksTiesByName() {
        assertEquals("a", open(BackendProviders.AUTO, provider("b", 100, true), provider("a", 100, true)).name());
    }

    @Test
    void autoWithNothingAvailableSaysWhyForEach() {
        BackendException error = assertThrows(BackendException.class,
                () -> open(BackendProviders.AUTO, provider("cpu", 100, false)));
        assertTrue(error.getMessage().contains("cpu unavailable: cpu is switched off"), error.getMessage());
    }

    @Test
    void twoProvidersOfOneNameAreAConfigurationError() {
        assertThrows(BackendException.class, () -> open("cpu", provider("cpu", 100, true), provider("cpu", 50, true)));
    }

    @Test
    void optionsRejectNegativeThreads() {
        assertThrows(InputException.class, () -> BackendOptions.defaults().withThreads(-1));
    }

    @Test
    void optionsResolveZeroThreadsToTheProcessors() {
        assertEquals(Runtime.getRuntime().availableProcessors(), BackendOptions.defaults().resolvedThreads());
        assertEquals(3, BackendOptions.defaults().withThreads(3).resolvedThreads());
    }

    private Backend open(String name, BackendProvider... providers) {
        return BackendProviders.open(name, BackendOptions.defaults(), List.of(providers), List.of(), reports::add);
    }

    private static BackendProvider provider(String name, int priority, boolean available) {
        return new StandIn(name, priority, available);
    }

    /** A provider whose backends only know their name. */
    private static class StandIn implements BackendProvider {
        private final String name;
        private final int priority;
        private final boolean available;

        StandIn(String name, int priority, boolean available) {
            this.name = name;
            this.priority = priority;
            this.available = available;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Availability availability() {
            return available ? Availability.available(name + " is ready")
                    : Availability.unavailable(name + " is switched off");
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Backend open(BackendOptions options) {
            return new NamedBackend(name);
        }
    }

    private record NamedBackend(String name) implements Backend {
        @Override
        public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Matrix upload(float[] values, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Matrix allocate(int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] download(Matrix matrix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void linear(Matrix x, LinearWeights weights, Matrix out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void activate(Activation function, Matrix x) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void add(Matrix x, Matrix y) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addRowsPeriodic(Matrix x, Matrix table, int period) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void gatherRows(Matrix source, int[] rows, Matrix out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
