package dev.aperture.benchmarks.peers;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;

/**
 * ONNX Runtime sessions configured as the peer figures are published (../shared/peers/onnx-clip-vit-b32/README.txt):
 * intra-op threads = the thread count under test, one inter-op thread, sequential execution, every graph
 * optimization ({@code ORT_ENABLE_ALL}). Everything else is ONNX Runtime's default (the CPU provider; idle
 * intra-op threads spin briefly before they sleep), as a Java user gets it.
 */
public final class OnnxRuntimeSessions {
    private OnnxRuntimeSessions() {
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** A session on {@code model}, which may refer to external weights beside it. */
    public static OrtSession open(Path model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return environment().createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot open " + model + ": " + e.getMessage(), e);
        }
    }
}
