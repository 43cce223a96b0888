package dev.aperture.benchmarks.bert;

import dev.aperture.benchmarks.TextShape;
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
        texts = ExactLengthTexts.of(TextShape.parse(shape), embedder.tokenizer());
    }

    @Benchmark
    public float[][] embed() {
        return embedder.embed(texts);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        embedder.close();
    }
}
