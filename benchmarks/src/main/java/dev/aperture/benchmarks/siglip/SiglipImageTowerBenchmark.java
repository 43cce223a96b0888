package dev.aperture.benchmarks.siglip;

import dev.aperture.benchmarks.PreprocessedPixels;
import dev.aperture.models.siglip.SiglipTowers;
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
import java.util.concurrent.TimeUnit;

/**
 * SigLIP's image tower ({@code get_image_features}: patch embedding, 12 encoder layers over 196 tokens,
 * post-layernorm, attention-pooling head) on batches of 1 and 32 preprocessed images, at real
 * {@code google/siglip-base-patch16-224} dimensions ({@link SyntheticSiglipState}). Image decoding and preprocessing
 * are not included. The counterpart of {@code ClipImageTowerBenchmark}; run them together to compare per-image cost.
 *
 * <p>Scores are <b>images per second</b>: each method declares its batch size as operations per invocation, so
 * JMH divides by it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SiglipImageTowerBenchmark {
    private float[][] one;
    private float[][] thirtyTwo;
    private SiglipTowers towers;

    @Setup
    public void setUp(SyntheticSiglipState state) {
        towers = state.model().towers();
        thirtyTwo = PreprocessedPixels.random(32, state.model().config().vision().pixelCount());
        one = Arrays.copyOf(thirtyTwo, 1);
    }

    @Benchmark
    public float[][] batch1() {
        return towers.encodeImages(one);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public float[][] batch32() {
        return towers.encodeImages(thirtyTwo);
    }
}
