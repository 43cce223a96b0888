package dev.aperture.benchmarks.gpu;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.Backends;
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
 * {@code Backend.linear} ({@code y = x·Wᵀ + b}) on CLIP's GEMM shapes, on the CPU backend (the baseline) and the
 * OpenCL backend, in one run. Each operation ends with the download of {@code y} (a GPU backend only finishes its
 * queue there), so the score includes reading the result back: GFLOP/s = ops/s × 2mnk / 1e9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class BackendGemmBenchmark {
    /** m x n x k: rows of x, output features, input features. */
    @Param({"50x768x768", "50x3072x768", "1600x768x768", "1600x3072x768", "256x512x512", "256x2048x512", "768x768x768"})
    public String shape;

    @Param({"cpu", "opencl"})
    public String backendName;

    private Backend backend;
    private Matrix x;
    private Matrix y;
    private LinearWeights weights;

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        int m = Integer.parseInt(dims[0]);
        int n = Integer.parseInt(dims[1]);
        int k = Integer.parseInt(dims[2]);
        Random random = new Random(7);
        backend = Backends.open(backendName, 0);
        weights = backend.prepareLinear(tensor("w", random, n, k), tensor("b", random, n));
        x = backend.upload(values(random, m * k), m, k);
        y = backend.allocate(m, n);
    }

    @Benchmark
    public float[] linear() {
        backend.linear(x, weights, y);
        return backend.download(y);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    private static TensorView tensor(String name, Random random, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values(random, (int) count)));
    }

    private static float[] values(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat() - 0.5f;
        }
        return values;
    }
}
