package dev.aperture.benchmarks.clip;

import dev.aperture.models.ImageInput;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Zero-shot classification of one image against 1,000 labels with a cold label cache — what a first call costs:
 * a new {@link ZeroShotClassifier} per invocation, so all 1,000 prompts ("a photo of a {label}.") are tokenized
 * and run through the text tower (in batches of 32), then the image (640×480, resized and cropped to 224) through
 * the image tower, then the ranking.
 *
 * <p>Scores are <b>seconds per classification</b> (one operation = one image against all 1,000 labels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ClipZeroShotBenchmark {
    private static final String[] WORDS = {
        "cat", "dog", "goldfish", "shark", "ray", "rooster", "hen", "ostrich", "finch", "robin", "jay", "magpie",
        "kite", "eagle", "vulture", "owl", "newt", "frog", "turtle", "gecko", "iguana", "lizard", "snake", "spider",
        "crab", "lobster", "heron", "pelican", "penguin", "whale", "seal", "wolf", "fox", "bear", "tiger", "lion",
        "zebra", "horse", "camel", "llama", "volcano", "reef", "daisy", "acorn", "mushroom", "bridge", "castle",
        "church", "lighthouse", "tractor",
    };

    private SyntheticClipState state;
    private List<String> labels;
    private ImageInput image;

    @Setup
    public void setUp(SyntheticClipState model) {
        state = model;
        labels = new ArrayList<>(1_000);
        for (int i = 0; i < 1_000; i++) {
            // 1,000 distinct short class names: a word, and from the second round on a number ("cat 7").
            labels.add(WORDS[i % WORDS.length] + (i >= WORDS.length ? " " + (i / WORDS.length) : ""));
        }
        Random random = new Random(42);
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                photo.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        image = ImageInput.of(photo);
    }

    @Benchmark
    public List<Label> oneImage1000LabelsColdCache() {
        return new ZeroShotClassifier(state.model()).classify(image, labels);
    }
}
