package dev.aperture.benchmarks.kernels;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Matrix;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One layer's attention ({@code softmax(q·kᵀ/√d)·v} over 12 heads of 64) for a batch of 32 at the shapes CLIP's
 * ViT-B/32 runs: the image tower's 50 tokens, and the text tower's 77 tokens with its causal mask. The
 * projections around it are GEMMs and are not included. Compare with a layer's GEMM time
 * ({@code GemmBenchmark}) to see attention's share of the tower.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBenchmark {
    private static final int BATCH = 32;
    private static final int HEADS = 12;
    private static final int HEAD_DIM = 64;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Matrix imageQ;
    private Matrix imageK;
    private Matrix imageV;
    private Matrix imageOut;
    private Matrix textQ;
    private Matrix textK;
    private Matrix textV;
    private Matrix textOut;

    @Setup
    public void setUp() {
        Random random = new Random(5);
        backend = new CpuBackend(threads);
        imageQ = random(random, BATCH * 50);
        imageK = random(random, BATCH * 50);
        imageV = random(random, BATCH * 50);
        imageOut = backend.allocate(BATCH * 50, HEADS * HEAD_DIM);
        textQ = random(random, BATCH * 77);
        textK = random(random, BATCH * 77);
        textV = random(random, BATCH * 77);
        textOut = backend.allocate(BATCH * 77, HEADS * HEAD_DIM);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public Matrix image50Tokens() {
        backend.attention(imageQ, imageK, imageV, spec(50, false), imageOut);
        return imageOut;
    }

    @Benchmark
    public Matrix text77TokensCausal() {
        backend.attention(textQ, textK, textV, spec(77, true), textOut);
        return textOut;
    }

    private static AttentionSpec spec(int tokens, boolean causal) {
        return new AttentionSpec(BATCH, tokens, HEADS, HEAD_DIM, (float) (1 / Math.sqrt(HEAD_DIM)), causal, null);
    }

    private Matrix random(Random random, int rows) {
        float[] values = new float[rows * HEADS * HEAD_DIM];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return backend.upload(values, rows, HEADS * HEAD_DIM);
    }
}
