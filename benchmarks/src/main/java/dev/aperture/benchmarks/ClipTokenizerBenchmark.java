package dev.aperture.benchmarks;

import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.bpe.Padding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Tokenizing 10,000 typical zero-shot prompts ("a photo of a {label}." and similar, 1,000 labels x 10 templates)
 * with a warm word cache. Each invocation encodes all 10,000, so the score is the time per 10,000 prompts.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ClipTokenizerBenchmark -p modelDir=testdata/clip-tiny}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClipTokenizerBenchmark {
    private static final String[] TEMPLATES = {
        "a photo of a %s.", "a blurry photo of a %s.", "a close-up photo of the %s.", "a drawing of a %s.",
        "a bright photo of the %s.", "itap of a %s.", "a low resolution photo of the %s.", "art of the %s.",
        "a photo of my %s, taken outdoors in the afternoon", "A PHOTO OF THE LARGE %s!",
    };
    private static final String[] WORDS = {
        "cat", "dog", "goldfish", "great white shark", "tiger shark", "hammerhead", "electric ray", "stingray",
        "rooster", "hen", "ostrich", "brambling", "goldfinch", "house finch", "junco", "indigo bunting", "robin",
        "bulbul", "jay", "magpie", "chickadee", "water ouzel", "kite", "bald eagle", "vulture", "great grey owl",
        "fire salamander", "common newt", "eft", "spotted salamander", "axolotl", "bullfrog", "tree frog",
        "loggerhead", "leatherback turtle", "mud turtle", "terrapin", "box turtle", "banded gecko", "iguana",
        "espresso maker", "steam locomotive", "traffic light", "volcano", "coral reef", "daisy", "yellow lady's slipper",
        "corn", "acorn", "hip", "buckeye", "coral fungus", "agaric", "gyromitra", "stinkhorn", "earthstar", "bolete",
    };

    /** Folder holding the tokenizer files (run from the repository root). */
    @Param("testdata/clip-tiny")
    public String modelDir;

    private ClipTokenizer tokenizer;
    private List<String> prompts;

    @Setup
    public void setUp() {
        tokenizer = ClipTokenizer.load(Path.of(modelDir));
        Random random = new Random(42);
        prompts = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            // 1,000 distinct labels: a base word, sometimes with an adjective and a number, like class names.
            int label = i % 1_000;
            String word = WORDS[label % WORDS.length] + (label >= WORDS.length ? " " + (label / WORDS.length) : "");
            prompts.add(String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], word));
        }
        for (String prompt : prompts) {
            tokenizer.encode(prompt);
        }
    }

    /** 10,000 prompts, each encoded to unpadded ids. */
    @Benchmark
    public void encode10kPrompts(Blackhole blackhole) {
        for (String prompt : prompts) {
            blackhole.consume(tokenizer.encode(prompt));
        }
    }

    /** 10,000 prompts as one padded 10,000 x 77 batch, as the text tower consumes them. */
    @Benchmark
    public TokenBatch encodeBatch10kPrompts() {
        return tokenizer.encodeBatch(prompts, Padding.MAX_LENGTH);
    }
}
