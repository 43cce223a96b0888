package dev.aperture.benchmarks.bert;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.AllMiniLmL6V2;
import dev.aperture.models.bert.TextEmbedder;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * all-MiniLM-L6-v2 sentence embeddings on the CPU backend: one {@code embed} call of {@code batch} texts of
 * exactly {@code tokens} tokens ([CLS] and [SEP] included), with {@code threads} compute threads. Sentences per
 * second = batch / (seconds per operation). The model comes from the local Maven repository
 * ({@link AllMiniLmL6V2}; fetched on first use).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar TextEmbedderBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TextEmbedderBenchmark {

    /** batch x tokens. */
    @Param({"1x12", "32x12", "32x128"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private TextEmbedder embedder;
    private List<String> texts;

    @Setup(Level.Trial)
    public void setUp() {
        AllMiniLmL6V2.OnnxFiles files = AllMiniLmL6V2.resolve(System.err::println);
        embedder = TextEmbedder.load(files.onnx(), files.tokenizer(),
                ModelOptions.defaults().withThreads(threads).withBatchSize(32));
        String[] parts = shape.split("x");
        int batch = Integer.parseInt(parts[0]);
        int tokens = Integer.parseInt(parts[1]);
        texts = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            // Each of these common words is one word piece, so the text is tokens - 2 pieces plus [CLS], [SEP].
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < tokens - 2; w++) {
                text.append(WORDS[(i + w) % WORDS.length]).append(' ');
            }
            texts.add(text.toString());
            int length = embedder.tokenizer().encode(texts.getLast()).length;
            if (length != tokens) {
                throw new IllegalStateException("benchmark text has " + length + " tokens, expected " + tokens);
            }
        }
    }

    private static final String[] WORDS = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "house",
            "with", "big", "red", "door"};

    @Benchmark
    public float[][] embed() {
        return embedder.embed(texts);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        embedder.close();
    }
}
