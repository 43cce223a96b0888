package dev.aperture.benchmarks.clip;

import dev.aperture.benchmarks.PreprocessedPixels;
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
import java.util.concurrent.TimeUnit;

/**
 * The image tower ({@code get_image_features}: patch embedding, 12 encoder layers, projection) on batches of 1, 8
 * and 32 preprocessed images, at real ViT-B/32 dimensions ({@link SyntheticClipState}). Image decoding and
 * preprocessing are not included.
 *
 * <p>Scores are <b>images per second</b>: each method declares its batch size as operations per invocation, so
 * JMH divides by it (the time of one whole batch is {@code batch / score} seconds).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ClipImageTowerBenchmark {
    private float[][] one;
    private float[][] eight;
    private float[][] thirtyTwo;
    private ClipTowers towers;

    @Setup
    public void setUp(SyntheticClipState state) {
        towers = state.model().towers();
        int pixelCount = state.model().config().vision().pixelCount();
        thirtyTwo = PreprocessedPixels.random(32, pixelCount);
        one = Arrays.copyOf(thirtyTwo, 1);
        eight = Arrays.copyOf(thirtyTwo, 8);
    }

    @Benchmark
    public float[][] batch1() {
        return towers.encodeImages(one);
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public float[][] batch8() {
        return towers.encodeImages(eight);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public float[][] batch32() {
        return towers.encodeImages(thirtyTwo);
    }
}
