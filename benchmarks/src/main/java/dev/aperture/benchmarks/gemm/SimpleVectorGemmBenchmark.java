package dev.aperture.benchmarks.gemm;

import dev.aperture.backend.cpu.gemm.VectorWidth;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The "first design step" baseline: a simple blocked Vector API GEMM on the unpacked row-major arrays,
 * single-threaded. A 2 x 2 block of outputs is four dot products over k, vectorized along k (x rows and W rows
 * are both contiguous in k), reduced across lanes at the end. No packing, no k-blocking, no register tile
 * beyond 2 x 2: what the packed GEMM improves on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SimpleVectorGemmBenchmark {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    @Param({"50x768x768", "50x3072x768", "1600x768x768", "1600x3072x768", "256x512x512", "256x2048x512",
            "768x768x768"})
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

    /** Requires even m and n and k a multiple of the vector length (true for every CLIP shape above). */
    @Benchmark
    public float[] simpleVector() {
        int m = dims.m();
        int n = dims.n();
        int k = dims.k();
        for (int i = 0; i < m; i += 2) {
            for (int j = 0; j < n; j += 2) {
                FloatVector s00 = FloatVector.zero(S);
                FloatVector s01 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S);
                FloatVector s11 = FloatVector.zero(S);
                for (int p = 0; p < k; p += S.length()) {
                    FloatVector x0 = FloatVector.fromArray(S, x, i * k + p);
                    FloatVector x1 = FloatVector.fromArray(S, x, (i + 1) * k + p);
                    FloatVector w0 = FloatVector.fromArray(S, w, j * k + p);
                    FloatVector w1 = FloatVector.fromArray(S, w, (j + 1) * k + p);
                    s00 = x0.fma(w0, s00);
                    s01 = x0.fma(w1, s01);
                    s10 = x1.fma(w0, s10);
                    s11 = x1.fma(w1, s11);
                }
                y[i * n + j] = s00.reduceLanes(VectorOperators.ADD) + bias[j];
                y[i * n + j + 1] = s01.reduceLanes(VectorOperators.ADD) + bias[j + 1];
                y[(i + 1) * n + j] = s10.reduceLanes(VectorOperators.ADD) + bias[j];
                y[(i + 1) * n + j + 1] = s11.reduceLanes(VectorOperators.ADD) + bias[j + 1];
            }
        }
        return y;
    }
}
