package dev.aperture.benchmarks.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Can the JDK reach this CPU's reduced-precision dot-product instructions ({@code vdpbf16ps} of AVX512_BF16,
 * {@code vpdpwssd}/{@code vpdpbusd} of AVX512_VNNI)? One dot product of {@value #N} elements (both operands in L1),
 * written each way a Java kernel could write it, in multiply-adds per microsecond on one thread:
 * <ul>
 *   <li>{@code f32Fma}: the fp32 baseline, the micro-kernel's instruction ({@code vfmadd231ps}, 16 lanes);</li>
 *   <li>{@code bf16WidenFma}: bf16 bits widened to fp32 by a shift, then fp32 FMA: what BF16 weight panels do (the
 *       Vector API has no bf16 element type, so no way to ask for {@code vdpbf16ps});</li>
 *   <li>{@code int16PairsScalar}: plain Java {@code s[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]} over shorts, the one shape
 *       C2's auto-vectorizer turns into {@code MulAddVS2VI} ({@code vpmaddwd}, or {@code vpdpwssd} with VNNI);</li>
 *   <li>{@code int16VectorApi} and {@code int8VectorApi}: the same integer products through the Vector API, which
 *       has no dot-product operation: widen, multiply, add lane by lane.</li>
 * </ul>
 * Each kernel is compiled on its own ({@code DONT_INLINE}): inlined into JMH's loop, the four-accumulator bf16 body
 * crosses C2's node-count cutoff, one widening call stays out of line and its vectors are boxed, 10x slower.
 * Read the instructions C2 chose with {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintAssembly} (hsdis from Debian's
 * {@code libhsdis0-fcml}); RESULTS.md records both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LowPrecisionDotBenchmark {
    static final int N = 4096;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> HALF_SHORTS = VectorSpecies.of(short.class,
            jdk.incubator.vector.VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    private static final VectorSpecies<Byte> QUARTER_BYTES = VectorSpecies.of(byte.class,
            jdk.incubator.vector.VectorShape.forBitSize(Math.max(64, INTS.vectorBitSize() / 4)));

    private final float[] xf = new float[N];
    private final float[] wf = new float[N];
    private final short[] wBf16 = new short[N];
    private final short[] xs = new short[N];
    private final short[] ws = new short[N];
    private final byte[] xb = new byte[N];
    private final byte[] wb = new byte[N];
    private final int[] pairSums = new int[N / 2];

    @Setup
    public void setUp() {
        Random random = new Random(5);
        for (int i = 0; i < N; i++) {
            xf[i] = random.nextFloat() - 0.5f;
            wf[i] = random.nextFloat() - 0.5f;
            wBf16[i] = (short) (Float.floatToRawIntBits(wf[i]) >>> 16);
            xs[i] = (short) random.nextInt(-1000, 1000);
            ws[i] = (short) random.nextInt(-1000, 1000);
            xb[i] = (byte) random.nextInt(-128, 128);
            wb[i] = (byte) random.nextInt(-128, 128);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public float f32Fma() {
        // Four accumulators: an FMA's 4-cycle latency on two pipes needs independent chains to keep them busy.
        FloatVector sum0 = FloatVector.zero(FLOATS);
        FloatVector sum1 = FloatVector.zero(FLOATS);
        FloatVector sum2 = FloatVector.zero(FLOATS);
        FloatVector sum3 = FloatVector.zero(FLOATS);
        int lanes = FLOATS.length();
        for (int i = 0; i < N; i += 4 * lanes) {
            sum0 = FloatVector.fromArray(FLOATS, xf, i).fma(FloatVector.fromArray(FLOATS, wf, i), sum0);
            sum1 = FloatVector.fromArray(FLOATS, xf, i + lanes)
                    .fma(FloatVector.fromArray(FLOATS, wf, i + lanes), sum1);
            sum2 = FloatVector.fromArray(FLOATS, xf, i + 2 * lanes)
                    .fma(FloatVector.fromArray(FLOATS, wf, i + 2 * lanes), sum2);
            sum3 = FloatVector.fromArray(FLOATS, xf, i + 3 * lanes)
                    .fma(FloatVector.fromArray(FLOATS, wf, i + 3 * lanes), sum3);
        }
        return sum0.add(sum1).add(sum2.add(sum3)).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public float bf16WidenFma() {
        // Four accumulators: an FMA's 4-cycle latency on two pipes needs independent chains to keep them busy.
        FloatVector sum0 = FloatVector.zero(FLOATS);
        FloatVector sum1 = FloatVector.zero(FLOATS);
        FloatVector sum2 = FloatVector.zero(FLOATS);
        FloatVector sum3 = FloatVector.zero(FLOATS);
        int lanes = FLOATS.length();
        for (int i = 0; i < N; i += 4 * lanes) {
            sum0 = FloatVector.fromArray(FLOATS, xf, i).fma(widenBf16(i), sum0);
            sum1 = FloatVector.fromArray(FLOATS, xf, i + lanes).fma(widenBf16(i + lanes), sum1);
            sum2 = FloatVector.fromArray(FLOATS, xf, i + 2 * lanes).fma(widenBf16(i + 2 * lanes), sum2);
            sum3 = FloatVector.fromArray(FLOATS, xf, i + 3 * lanes).fma(widenBf16(i + 3 * lanes), sum3);
        }
        return sum0.add(sum1).add(sum2.add(sum3)).reduceLanes(VectorOperators.ADD);
    }

    private FloatVector widenBf16(int i) {
        return ((IntVector) ShortVector.fromArray(HALF_SHORTS, wBf16, i).convertShape(VectorOperators.S2I, INTS, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int[] int16PairsScalar() {
        for (int i = 0; i < N / 2; i++) {
            pairSums[i] += xs[2 * i] * ws[2 * i] + xs[2 * i + 1] * ws[2 * i + 1];
        }
        return pairSums;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int int16VectorApi() {
        IntVector sum = IntVector.zero(INTS);
        int lanes = INTS.length();
        for (int i = 0; i < N; i += lanes) {
            IntVector x = (IntVector) ShortVector.fromArray(HALF_SHORTS, xs, i)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            IntVector w = (IntVector) ShortVector.fromArray(HALF_SHORTS, ws, i)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            sum = sum.add(x.mul(w));
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int int8VectorApi() {
        IntVector sum = IntVector.zero(INTS);
        int lanes = INTS.length();
        for (int i = 0; i < N; i += lanes) {
            IntVector x = (IntVector) ByteVector.fromArray(QUARTER_BYTES, xb, i)
                    .convertShape(VectorOperators.B2I, INTS, 0);
            IntVector w = (IntVector) ByteVector.fromArray(QUARTER_BYTES, wb, i)
                    .convertShape(VectorOperators.B2I, INTS, 0);
            sum = sum.add(x.mul(w));
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
