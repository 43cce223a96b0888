package dev.aperture.benchmarks.clip;

import dev.aperture.benchmarks.PreprocessedPixels;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipConfig;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.clip.synthetic.SyntheticClip;

import java.nio.file.Path;
import java.util.Random;

/**
 * The workload whose peak resident memory {@code benchmarks/peers/memory.sh} compares (it reads the figure from GNU
 * {@code time}, so the process measures nothing itself): both CLIP ViT-B/32 towers loaded, as a zero-shot user holds
 * them, then {@value #ROUNDS} rounds of an image batch of 32 and a text batch of 32 × 77 tokens, on Aperture or on ONNX
 * Runtime (the peer graphs of {@link ClipImagePeerBenchmark} and {@link ClipTextPeerBenchmark}, run through their own
 * state classes so both engines are fed exactly as in the speed benchmarks).
 *
 * <pre>
 *   java -cp benchmarks.jar dev.aperture.benchmarks.clip.ClipPeakMemory write DIR F32|F16|BF16
 *   java -cp benchmarks.jar dev.aperture.benchmarks.clip.ClipPeakMemory aperture DIR THREADS
 *   java -cp benchmarks.jar dev.aperture.benchmarks.clip.ClipPeakMemory onnxruntime THREADS
 * </pre>
 * {@code write} runs in its own process, so the synthetic generator's garbage is not counted against the model.
 */
public final class ClipPeakMemory {
    private static final int ROUNDS = 3;
    private static final int BATCH = 32;
    private static final int TOKENS = 77;

    private ClipPeakMemory() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "write" -> SyntheticClip.writeModelFolder(Path.of(args[1]), SyntheticClip.VIT_B_32,
                    DType.valueOf(args[2]));
            case "aperture" -> runAperture(Path.of(args[1]), Integer.parseInt(args[2]));
            case "onnxruntime" -> runOnnxRuntime(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException(
                    "usage: write DIR F32|F16|BF16 | aperture DIR THREADS | onnxruntime THREADS");
        }
    }

    private static void runAperture(Path folder, int threads) {
        try (ClipModel model = ClipModel.load(folder, ModelOptions.defaults().withThreads(threads))) {
            float[][] pixels = pixels();
            int[][] ids = ids();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                model.towers().encodeImages(pixels);
                model.towers().encodeText(ids, null);
                report(round, start);
            }
        }
    }

    private static void runOnnxRuntime(int threads) throws Exception {
        ClipImagePeerBenchmark imageShape = new ClipImagePeerBenchmark();
        imageShape.batch = BATCH;
        ClipImagePeerBenchmark.OnnxRuntimeVision vision = new ClipImagePeerBenchmark.OnnxRuntimeVision();
        vision.threads = threads;
        vision.setUp(imageShape);
        ClipTextPeerBenchmark textShape = new ClipTextPeerBenchmark();
        textShape.texts = BATCH + "x" + TOKENS;
        ClipTextPeerBenchmark.OnnxRuntimeText text = new ClipTextPeerBenchmark.OnnxRuntimeText();
        text.threads = threads;
        text.setUp(textShape);
        try {
            float[][] pixels = pixels();
            int[][] ids = ids();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                vision.encodeImages(pixels);
                text.encodeText(ids);
                report(round, start);
            }
        } finally {
            vision.tearDown();
            text.tearDown();
        }
    }

    private static float[][] pixels() {
        ClipConfig.VisionConfig vision = SyntheticClip.config(SyntheticClip.VIT_B_32).vision();
        return PreprocessedPixels.random(BATCH, vision.pixelCount());
    }

    private static int[][] ids() {
        return ClipPrompts.random(new Random(42), BATCH, TOKENS);
    }

    private static void report(int round, long start) {
        System.out.printf("round %d: image batch %d + text batch %d x %d in %.0f ms%n", round + 1, BATCH, BATCH,
                TOKENS, (System.nanoTime() - start) / 1e6);
    }
}
