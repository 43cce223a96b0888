package dev.aperture.benchmarks.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aperture.benchmarks.PreprocessedPixels;
import dev.aperture.benchmarks.peers.ClipPeerGraphs;
import dev.aperture.benchmarks.peers.OnnxRuntimeSessions;
import dev.aperture.models.clip.ClipConfig;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CLIP ViT-B/32's image tower ({@code get_image_features}: patch embedding, 12 encoder layers, post-layer-norm of the
 * class token, visual projection to 512), Aperture against ONNX Runtime in the same run, on {@code batch} images and
 * 1 or 2 threads ({@code threads}: Aperture's CPU backend threads, ONNX Runtime's intra-op threads; JMH runs one
 * caller thread). Score: milliseconds per batch.
 *
 * <p>Both engines start from the same Java arrays, one row of preprocessed pixels per image, and end with one Java
 * {@code float[512]} per image, unnormalized: Aperture through {@code ClipTowers.encodeImages} (the entry point
 * ClipImageTowerBenchmark times) on the synthetic ViT-B/32 ({@link SyntheticClipState}, which must keep its default
 * architecture), ONNX Runtime on the peer's {@code clip_vision.onnx}, the same architecture exported from
 * transformers (input {@code pixel_values [batch, 3, 224, 224]}, output {@code image_embeds [batch, 512]}). The ONNX
 * Runtime side copies the pixels into one reused native buffer per call, which ONNX Runtime then reads in place;
 * Aperture reads them from the arrays. Both sets of weights are random: speed does not depend on their values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ClipImagePeerBenchmark {
    private static final ClipConfig.VisionConfig VISION = SyntheticClip.config(SyntheticClip.VIT_B_32).vision();

    @Param({"1", "8", "32"})
    public int batch;

    private float[][] pixels;

    @Setup(Level.Trial)
    public void setUp() {
        pixels = PreprocessedPixels.random(batch, VISION.pixelCount());
    }

    @Benchmark
    public float[][] aperture(SyntheticClipState clip) {
        return clip.model().towers().encodeImages(pixels);
    }

    @Benchmark
    public float[][] onnxruntime(OnnxRuntimeVision peer) throws OrtException {
        return peer.encodeImages(pixels);
    }

    /** The peer's vision graph in a session, and the native buffer its input is copied into. */
    @State(Scope.Benchmark)
    public static class OnnxRuntimeVision {
        /** ONNX Runtime's intra-op threads (the name SyntheticClipState gives Aperture's threads). */
        @Param({"1", "2"})
        public int threads;

        private OrtSession session;
        private FloatBuffer input;
        private long[] shape;

        @Setup(Level.Trial)
        public void setUp(ClipImagePeerBenchmark benchmark) {
            session = OnnxRuntimeSessions.open(ClipPeerGraphs.graph(ClipPeerGraphs.VISION), threads);
            shape = new long[] {benchmark.batch, VISION.numChannels(), VISION.imageSize(), VISION.imageSize()};
            input = ByteBuffer.allocateDirect(benchmark.batch * VISION.pixelCount() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        float[][] encodeImages(float[][] pixels) throws OrtException {
            input.clear();
            for (float[] image : pixels) {
                input.put(image);
            }
            input.flip();
            try (OnnxTensor pixelValues = OnnxTensor.createTensor(OnnxRuntimeSessions.environment(), input, shape);
                 OrtSession.Result result = session.run(Map.of("pixel_values", pixelValues))) {
                return (float[][]) result.get(0).getValue();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            session.close();
        }
    }
}
