package dev.aperture.benchmarks.gemm;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The naive triple loop {@code y[i][j] = b[j] + Σ_p x[i][p] · W[j][p]}, single-threaded, as the floor.
 * Only on the four smaller CLIP shapes: on 1600 x 3072 x 768 one call takes seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NaiveGemmBenchmark {
    @Param({"50x768x768", "50x3072x768", "256x512x512", "256x2048x512"})
    public String shape;

    private GemmShape dims;
    private float[] x;
    private float[] w;
    private float[] bias;
    private float[] y;

    @Setup(Level.Trial)
    public void setUp() {
        dims = GemmShape.parse(shape);
        x = GemmShape.randomFloats(dims.m() * dims.k(), 1);
        w = GemmShape.randomFloats(dims.n() * dims.k(), 2);
        bias = GemmShape.randomFloats(dims.n(), 3);
        y = new float[dims.m() * dims.n()];
    }

    @Benchmark
    public float[] naive() {
        int m = dims.m();
        int n = dims.n();
        int k = dims.k();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = bias[j];
                for (int p = 0; p < k; p++) {
                    sum += x[i * k + p] * w[j * k + p];
                }
                y[i * n + j] = sum;
            }
        }
        return y;
    }
}
