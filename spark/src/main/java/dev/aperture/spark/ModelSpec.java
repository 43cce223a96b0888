package dev.aperture.spark;

import dev.aperture.models.ModelOptions;

import java.io.Serializable;

/**
 * Which model a transformer runs and how: what travels from the driver to the executors (ModelOptions itself is not
 * serializable), and the key of the executor's model cache ({@link ExecutorModels}), so that transformers with the
 * same spec share one loaded model per JVM.
 *
 * @param model     a model folder or {@code .onnx} file every node can read, or a hub id ({@code org/name[@revision]})
 *                  fetched into each node's hub cache ({@code HF_HUB_CACHE}, {@code HF_HOME})
 * @param backend   {@code cpu}, {@code opencl} or {@code auto}
 * @param threads   compute threads of the model; 0: one per processor of the executor
 * @param batchSize inputs per forward pass
 */
record ModelSpec(String model, String backend, int threads, int batchSize) implements Serializable {

    /** The options the model is loaded with (checked there: a bad thread count or batch size fails the load). */
    ModelOptions options() {
        return ModelOptions.defaults().withBackend(backend).withThreads(threads).withBatchSize(batchSize);
    }
}
