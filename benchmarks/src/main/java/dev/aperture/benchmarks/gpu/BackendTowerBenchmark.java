package dev.aperture.benchmarks.gpu;

import dev.aperture.benchmarks.clip.SyntheticClipState;
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
 * ViT-B/32 towers at GPU batch sizes — images 1, 32 and 256, 8-token prompts 256 — on the backend of
 * {@link SyntheticClipState} ({@code -p backend=cpu,opencl} measures both in one run; the CPU is the baseline).
 * Scores are images/s or prompts/s (batch size as operations per invocation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class BackendTowerBenchmark {
    private static final int BOS = 49406;
    private static final int EOS = 49407;

    private ClipTowers towers;
    private float[][] images;
    private int[][] promptIds;
    private int[][] promptMask;

    @Setup
    public void setUp(SyntheticClipState state) {
        towers = state.model().towers();
        int pixelCount = state.model().config().vision().pixelCount();
        Random random = new Random(42);
        images = new float[256][pixelCount];
        for (float[] image : images) {
            for (int i = 0; i < pixelCount; i++) {
                image[i] = (float) random.nextGaussian();
            }
        }
        promptIds = new int[256][8];
        promptMask = new int[256][8];
        for (int p = 0; p < 256; p++) {
            promptIds[p][0] = BOS;
            for (int t = 1; t < 7; t++) {
                promptIds[p][t] = 1000 + random.nextInt(40_000);
            }
            promptIds[p][7] = EOS;
            Arrays.fill(promptMask[p], 1);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public float[][] images1() {
        return towers.encodeImages(Arrays.copyOf(images, 1));
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public float[][] images32() {
        return towers.encodeImages(Arrays.copyOf(images, 32));
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public float[][] images256() {
        return towers.encodeImages(images);
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public float[][] prompts256() {
        return towers.encodeText(promptIds, promptMask);
    }
}
