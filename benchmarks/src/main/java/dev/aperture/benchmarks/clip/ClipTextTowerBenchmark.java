package dev.aperture.benchmarks.clip;

import dev.aperture.models.clip.ClipTowers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The text tower ({@code get_text_features}: embeddings, 12 causal encoder layers, final layer norm, pooling,
 * projection) on batches of 1 and 32 token-id rows, each of 8 tokens (a short prompt such as "a photo of a cat.")
 * or of 77 tokens (the full context), unpadded. Tokenization is not included (see ClipTokenizerBenchmark).
 *
 * <p>Scores are <b>prompts per second</b>: each method declares its batch size as operations per invocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ClipTextTowerBenchmark {
    private int[][] short1;
    private int[][] short32;
    private int[][] long1;
    private int[][] long32;
    private ClipTowers towers;

    @Setup
    public void setUp(SyntheticClipState state) {
        towers = state.model().towers();
        Random random = new Random(42);
        short32 = ClipPrompts.random(random, 32, 8);
        long32 = ClipPrompts.random(random, 32, state.model().config().text().maxPositionEmbeddings());
        short1 = Arrays.copyOf(short32, 1);
        long1 = Arrays.copyOf(long32, 1);
    }

    @Benchmark
    public float[][] tokens8Batch1() {
        return towers.encodeText(short1, null);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public float[][] tokens8Batch32() {
        return towers.encodeText(short32, null);
    }

    @Benchmark
    public float[][] tokens77Batch1() {
        return towers.encodeText(long1, null);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public float[][] tokens77Batch32() {
        return towers.encodeText(long32, null);
    }
}
