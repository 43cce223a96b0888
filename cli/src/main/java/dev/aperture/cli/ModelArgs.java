package dev.aperture.cli;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every model-running command shares: which model, on which backend, with how many threads. */
final class ModelArgs {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder (config.json, model.safetensors, tokenizer and preprocessor files).")
    Path model;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "Compute backend: cpu, opencl or auto (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads (default: one per processor).")
    int threads;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Inputs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    ClipModel loadClip() {
        ModelOptions options = ModelOptions.defaults().withBackend(backend).withThreads(threads).withBatchSize(batchSize);
        return ClipModel.load(model, options);
    }
}
