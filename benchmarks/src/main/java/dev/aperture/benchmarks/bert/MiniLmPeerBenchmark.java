package dev.aperture.benchmarks.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aperture.benchmarks.TextShape;
import dev.aperture.benchmarks.peers.OnnxRuntimeSessions;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.AllMiniLmL6V2;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.tokenizer.wordpiece.WordPieceTokenizer;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * all-MiniLM-L6-v2 sentence embeddings, Aperture against ONNX Runtime in the same run, on the same ONNX file (the
 * langchain4j artifact's, {@link AllMiniLmL6V2}): {@code texts} (batch x tokens, [CLS] and [SEP] included) on 1 or 2
 * threads (Aperture's CPU backend threads, ONNX Runtime's intra-op threads). Score: milliseconds per call.
 *
 * <p>Both engines start from the same Java strings and end with one mean-pooled, L2-normalized {@code float[384]}
 * per text. Aperture: {@code TextEmbedder.embed} (the entry point TextEmbedderBenchmark times). ONNX Runtime: the
 * same WordPiece tokenizer, the graph's {@code last_hidden_state}, then the pooling in Java ({@link MeanPooling}).
 * What Aperture does besides is sort the texts by length and split them into batches of 32, which here is one batch
 * in the given order. ONNX Runtime's trial first checks that the two engines agree (≤ 1e-4 on every value).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MiniLmPeerBenchmark {
    private static final double AGREEMENT = 1e-4;

    /** batch x tokens. */
    @Param({"1x12", "32x12", "32x128"})
    public String texts;

    @Param({"1", "2"})
    public int threads;

    private AllMiniLmL6V2.OnnxFiles files;
    private WordPieceTokenizer tokenizer;
    private List<String> sentences;

    @Setup(Level.Trial)
    public void setUp() {
        files = AllMiniLmL6V2.resolve(System.err::println);
        tokenizer = WordPieceTokenizer.load(files.tokenizer());
        sentences = ExactLengthTexts.of(TextShape.parse(texts), tokenizer);
    }

    private TextEmbedder loadAperture() {
        return TextEmbedder.load(files.onnx(), files.tokenizer(),
                ModelOptions.defaults().withThreads(threads).withBatchSize(32));
    }

    @Benchmark
    public float[][] aperture(ApertureMiniLm aperture) {
        return aperture.embedder.embed(sentences);
    }

    @Benchmark
    public float[][] onnxruntime(OnnxRuntimeMiniLm peer) throws OrtException {
        return peer.embed(sentences);
    }

    /** Aperture's embedder on the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class ApertureMiniLm {
        private TextEmbedder embedder;

        @Setup(Level.Trial)
        public void setUp(MiniLmPeerBenchmark benchmark) {
            embedder = benchmark.loadAperture();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            embedder.close();
        }
    }

    /** The ONNX file in an ONNX Runtime session, checked against Aperture on the benchmark's texts. */
    @State(Scope.Benchmark)
    public static class OnnxRuntimeMiniLm {
        private OrtSession session;
        private WordPieceTokenizer tokenizer;
        private boolean takesTokenTypes;

        @Setup(Level.Trial)
        public void setUp(MiniLmPeerBenchmark benchmark) throws OrtException {
            session = OnnxRuntimeSessions.open(benchmark.files.onnx(), benchmark.threads);
            tokenizer = benchmark.tokenizer;
            takesTokenTypes = session.getInputNames().contains("token_type_ids");
            checkAgreement(benchmark);
        }

        float[][] embed(List<String> texts) throws OrtException {
            BertGraphInputs inputs = BertGraphInputs.of(tokenizer.encodeBatch(texts), takesTokenTypes);
            try (inputs; OrtSession.Result result = session.run(inputs.tensors())) {
                OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
                return MeanPooling.normalized(hidden.getFloatBuffer(), inputs.batch());
            }
        }

        private void checkAgreement(MiniLmPeerBenchmark benchmark) throws OrtException {
            float[][] expected;
            try (TextEmbedder aperture = benchmark.loadAperture()) {
                expected = aperture.embed(benchmark.sentences);
            }
            float[][] actual = embed(benchmark.sentences);
            double maxDifference = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < expected[i].length; j++) {
                    maxDifference = Math.max(maxDifference, Math.abs(expected[i][j] - actual[i][j]));
                }
            }
            String report = String.format("MiniLM agreement (%s, %d threads): max |Aperture - ONNX Runtime| = %.2e"
                    + " over %d x %d values (limit %.0e)", benchmark.texts, benchmark.threads, maxDifference,
                    expected.length, expected[0].length, AGREEMENT);
            System.out.println(report);
            if (!(maxDifference <= AGREEMENT)) {
                throw new IllegalStateException(report);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            session.close();
        }
    }
}
