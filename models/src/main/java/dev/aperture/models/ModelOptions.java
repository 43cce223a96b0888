package dev.aperture.models;

import dev.aperture.core.InputException;

/**
 * How to load and run a model.
 *
 * @param backend   {@code cpu}, {@code opencl} or {@code auto}
 * @param threads   CPU threads; 0 means one per available processor
 * @param batchSize inputs per forward pass; larger inputs lists are split (bounds memory, shows progress)
 * @param limits    caps on text length, inputs per call, labels and images (see {@link InputLimits})
 */
public record ModelOptions(String backend, int threads, int batchSize, InputLimits limits) {

    public ModelOptions {
        if (threads < 0) {
            throw new InputException("threads must be >= 0, got " + threads);
        }
        if (batchSize < 1) {
            throw new InputException("batchSize must be >= 1, got " + batchSize);
        }
        if (limits == null) {
            throw new InputException("limits must not be null (use InputLimits.defaults())");
        }
    }

    /** Options with {@link InputLimits#defaults()}. */
    public ModelOptions(String backend, int threads, int batchSize) {
        this(backend, threads, batchSize, InputLimits.defaults());
    }

    /** CPU backend, one thread per processor, batches of 32, default limits. */
    public static ModelOptions defaults() {
        return new ModelOptions(Backends.CPU, 0, 32);
    }

    public ModelOptions withBackend(String name) {
        return new ModelOptions(name, threads, batchSize, limits);
    }

    public ModelOptions withThreads(int count) {
        return new ModelOptions(backend, count, batchSize, limits);
    }

    public ModelOptions withBatchSize(int size) {
        return new ModelOptions(backend, threads, size, limits);
    }

    public ModelOptions withLimits(InputLimits inputLimits) {
        return new ModelOptions(backend, threads, batchSize, inputLimits);
    }
}
