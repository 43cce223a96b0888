package dev.aperture.benchmarks.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aperture.benchmarks.TextShape;
import dev.aperture.benchmarks.peers.ClipPeerGraphs;
import dev.aperture.benchmarks.peers.OnnxRuntimeSessions;
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
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * CLIP ViT-B/32's text tower ({@code get_text_features}: embeddings, 12 causal encoder layers, final layer norm, the
 * end-of-text row, text projection to 512), Aperture against ONNX Runtime in the same run, on {@code texts} (batch x
 * tokens: 32 short prompts of 8 tokens, or 32 of the full 77) and 1 or 2 threads. Score: milliseconds per batch.
 *
 * <p>Both engines start from the same Java {@code int} id rows (BOS, random ids, EOS; unpadded) and end with one Java
 * {@code float[512]} per text, unnormalized: Aperture through {@code ClipTowers.encodeText(ids, null)} (the entry
 * point ClipTextTowerBenchmark times) on the synthetic ViT-B/32 ({@link SyntheticClipState}), ONNX Runtime on the
 * peer's {@code clip_text.onnx} (inputs {@code input_ids} and {@code attention_mask}, int64, copied per call into
 * reused native buffers; the mask is all ones, the ids are unpadded; output {@code text_embeds [batch, 512]}).
 *
 * <p>The work differs in one place: Aperture's attention computes only the scores the causal mask keeps (key
 * j ≤ query i), while the exported eager graph computes all of them and then adds the mask (unless ONNX Runtime's
 * fusions change that). Scores and their weighted sum are 2.4 % of a 77-token text's 5.96 GFLOP (0.3 % at 8 tokens),
 * so Aperture skips about 1.2 % of the graph's FLOPs at 77 tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ClipTextPeerBenchmark {
    /** batch x tokens. */
    @Param({"32x8", "32x77"})
    public String texts;

    private int[][] ids;

    @Setup(Level.Trial)
    public void setUp() {
        TextShape shape = TextShape.parse(texts);
        ids = ClipPrompts.random(new Random(42), shape.batch(), shape.tokens());
    }

    @Benchmark
    public float[][] aperture(SyntheticClipState clip) {
        return clip.model().towers().encodeText(ids, null);
    }

    @Benchmark
    public float[][] onnxruntime(OnnxRuntimeText peer) throws OrtException {
        return peer.encodeText(ids);
    }

    /** The peer's text graph in a session, and the native buffers its inputs are copied into. */
    @State(Scope.Benchmark)
    public static class OnnxRuntimeText {
        /** ONNX Runtime's intra-op threads (the name SyntheticClipState gives Aperture's threads). */
        @Param({"1", "2"})
        public int threads;

        private OrtSession session;
        private LongBuffer inputIds;
        private LongBuffer attentionMask;
        private long[] shape;

        @Setup(Level.Trial)
        public void setUp(ClipTextPeerBenchmark benchmark) {
            session = OnnxRuntimeSessions.open(ClipPeerGraphs.graph(ClipPeerGraphs.TEXT), threads);
            TextShape texts = TextShape.parse(benchmark.texts);
            shape = new long[] {texts.batch(), texts.tokens()};
            inputIds = nativeLongs(texts.batch() * texts.tokens());
            attentionMask = nativeLongs(texts.batch() * texts.tokens());
        }

        float[][] encodeText(int[][] ids) throws OrtException {
            inputIds.clear();
            attentionMask.clear();
            for (int[] row : ids) {
                for (int id : row) {
                    inputIds.put(id);
                    attentionMask.put(1);
                }
            }
            inputIds.flip();
            attentionMask.flip();
            OrtEnvironment environment = OnnxRuntimeSessions.environment();
            try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, inputIds, shape);
                 OnnxTensor maskTensor = OnnxTensor.createTensor(environment, attentionMask, shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor))) {
                return (float[][]) result.get(0).getValue();
            }
        }

        private static LongBuffer nativeLongs(int count) {
            return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            session.close();
        }
    }
}
