package dev.aperture.benchmarks.gemm;

import dev.aperture.backend.cpu.gemm.ComputePool;
import dev.aperture.backend.cpu.gemm.Gemm;
import dev.aperture.backend.cpu.gemm.PackedMatrix;
import dev.aperture.core.tensor.DType;
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
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * {@code y = x · Wᵀ + b} on the shapes CLIP uses ({@code m x n x k}: tokens x out features x in features),
 * Aperture's packed Vector API GEMM against OpenBLAS's {@code cblas_sgemm} in the same run, on 1 and 2 threads.
 * Score: multiplies per second; GFLOP/s = score x 2mnk / 1e9 ({@code benchmarks/gemm-report.py} prints both
 * and the ratio). OpenBLAS's benchmark fails with a clear message when libopenblas.so.0 is absent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    @Param({"50x768x768", "50x3072x768", "1600x768x768", "1600x3072x768", "256x512x512", "256x2048x512",
            "768x768x768"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmShape dims;
    private float[] x;
    private float[] bias;
    private float[] y;
    private PackedMatrix packed;
    private PackedMatrix packedBf16;
    private PackedMatrix packedF16;
    private ComputePool pool;
    private Gemm gemm;

    @Setup(Level.Trial)
    public void setUp() {
        dims = GemmShape.parse(shape);
        x = GemmShape.randomFloats(dims.m() * dims.k(), 1);
        float[] w = GemmShape.randomFloats(dims.n() * dims.k(), 2);
        bias = GemmShape.randomFloats(dims.n(), 3);
        y = new float[dims.m() * dims.n()];
        packed = PackedMatrix.pack(w, dims.n(), dims.k());
        packedBf16 = PackedMatrix.packHalf(halves(w, DType.BF16), DType.BF16, dims.n(), dims.k());
        packedF16 = PackedMatrix.packHalf(halves(w, DType.F16), DType.F16, dims.n(), dims.k());
        pool = new ComputePool(threads);
        gemm = new Gemm(pool, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** f32 panels: the default. */
    @Benchmark
    public float[] aperture() {
        gemm.multiply(x, dims.m(), packed, bias, y);
        return y;
    }

    /** bf16 panels, widened a k-block at a time by the GEMM: half the weight memory. */
    @Benchmark
    public float[] apertureBf16Panels() {
        gemm.multiply(x, dims.m(), packedBf16, bias, y);
        return y;
    }

    /** F16 panels, widened a k-block at a time by the GEMM: half the weight memory. */
    @Benchmark
    public float[] apertureF16Panels() {
        gemm.multiply(x, dims.m(), packedF16, bias, y);
        return y;
    }

    /** OpenBLAS cblas_sgemm (NoTrans x Trans, row-major) on native copies of the same data, no bias. */
    @Benchmark
    public MemorySegment openblas(OpenBlasState blas) {
        blas.library.multiplyTransposed(blas.x, dims.m(), blas.w, dims.n(), dims.k(), blas.y);
        return blas.y;
    }

    /** Native copies of the inputs for OpenBLAS, and the library with its thread count set. */
    @State(Scope.Benchmark)
    public static class OpenBlasState {
        OpenBlas library;
        MemorySegment x;
        MemorySegment w;
        MemorySegment y;
        private Arena arena;

        @Setup(Level.Trial)
        public void setUp(GemmBenchmark benchmark) {
            library = OpenBlas.load().orElseThrow(() -> new IllegalStateException(
                    "OpenBLAS baseline skipped: libopenblas.so.0 not found (apt-get install libopenblas0-pthread)"));
            library.setThreads(benchmark.threads);
            // The kernel is what a report must name: a DYNAMIC_ARCH build picks it per CPU, the environment can force it.
            System.out.println("OpenBLAS kernel: " + library.coreName() + " (" + library.config() + "; threads "
                    + benchmark.threads + "; " + environment("OPENBLAS_CORETYPE") + ", "
                    + environment("OPENBLAS_L2_SIZE") + ")");
            GemmShape dims = benchmark.dims;
            arena = Arena.ofShared();
            x = arena.allocateFrom(ValueLayout.JAVA_FLOAT, benchmark.x);
            w = arena.allocateFrom(ValueLayout.JAVA_FLOAT, GemmShape.randomFloats(dims.n() * dims.k(), 2));
            y = arena.allocate(ValueLayout.JAVA_FLOAT, (long) dims.m() * dims.n());
        }

        private static String environment(String name) {
            String value = System.getenv(name);
            return name + (value == null ? " unset" : "=" + value);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    private static MemorySegment halves(float[] w, DType dtype) {
        MemorySegment segment = MemorySegment.ofArray(new byte[w.length * 2]);
        ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < w.length; i++) {
            short bits = dtype == DType.F16 ? Float.floatToFloat16(w[i]) : (short) (Float.floatToRawIntBits(w[i]) >>> 16);
            segment.setAtIndex(layout, i, bits);
        }
        return segment;
    }
}
