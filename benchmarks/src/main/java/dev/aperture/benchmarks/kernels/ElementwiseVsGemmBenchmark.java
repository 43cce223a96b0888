package dev.aperture.benchmarks.kernels;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Does the scalar part of the element-wise kernels matter? One ViT-B/32 MLP at batch 1 (50 tokens): the fc1 GEMM
 * ({@code 50 × 768 → 3072}) against what follows it — the activation over its {@code 50 × 3072} output (exact
 * erf GELU and quick-GELU: their exp/erf are scalar) — and a layer norm over {@code 50 × 768}. Compare the
 * activations' time with {@code fc1}'s: the MLP also runs fc2 of the same cost, so a layer's activation share is
 * {@code activation / (2 · fc1)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseVsGemmBenchmark {
    private static final int TOKENS = 50;
    private static final int HIDDEN = 768;
    private static final int INTERMEDIATE = 3072;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private LinearWeights fc1;
    private Matrix hidden;
    private Matrix intermediate;
    private Matrix normalized;
    private Matrix gamma;
    private Matrix beta;
    private float[] activations;

    @Setup
    public void setUp() {
        Random random = new Random(3);
        backend = new CpuBackend(threads);
        fc1 = backend.prepareLinear(tensor(random, INTERMEDIATE, HIDDEN), tensor(random, INTERMEDIATE));
        hidden = backend.upload(values(random, TOKENS * HIDDEN, 2f), TOKENS, HIDDEN);
        intermediate = backend.allocate(TOKENS, INTERMEDIATE);
        normalized = backend.allocate(TOKENS, HIDDEN);
        gamma = backend.upload(values(random, HIDDEN, 1f), 1, HIDDEN);
        beta = backend.upload(values(random, HIDDEN, 1f), 1, HIDDEN);
        activations = values(random, TOKENS * INTERMEDIATE, 4f);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public Matrix fc1Gemm() {
        backend.linear(hidden, fc1, intermediate);
        return intermediate;
    }

    @Benchmark
    public Matrix geluErf() {
        return activate(Activation.GELU);
    }

    @Benchmark
    public Matrix quickGelu() {
        return activate(Activation.QUICK_GELU);
    }

    /** The refill alone, to subtract from the activation benchmarks. */
    @Benchmark
    public Matrix refillOnly() {
        try (Matrix x = backend.upload(activations, TOKENS, INTERMEDIATE)) {
            return x;
        }
    }

    @Benchmark
    public Matrix layerNorm() {
        backend.layerNorm(hidden, gamma, beta, 1e-5f, normalized);
        return normalized;
    }

    /** Refills the input first (activations work in place), so every call sees the same values. */
    private Matrix activate(Activation function) {
        try (Matrix x = backend.upload(activations, TOKENS, INTERMEDIATE)) {
            backend.activate(function, x);
            return x;
        }
    }

    private static TensorView tensor(Random random, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return new TensorView("w", DType.F32, shape, MemorySegment.ofArray(values(random, (int) count, 0.05f)));
    }

    private static float[] values(Random random, int count, float range) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * range;
        }
        return values;
    }
}
