package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code aperture bench}: end-to-end speed of an image-text model (CLIP or SigLIP) on this machine. Times the image
 * tower (a batch of random preprocessed pixels), the text tower (batches of random ids shaped like the family's
 * inputs, {@link BenchTowers}: CLIP's 8- and 77-token prompts, SigLIP's 64 padded tokens) and a whole classification
 * (one image decoded, preprocessed and ranked against labels whose embeddings are cached by the warm-up), after
 * warm-up calls; with {@code --images DIR}, also whole image embeddings from files ({@code embedImages} on
 * {@code --batch} files a call: read, decode, EXIF orientation, preprocessing, image tower, normalization), what
 * {@code embed} and {@code index} do per image. Prints latency percentiles and throughput, and the process's peak
 * resident memory.
 *
 * <p>This is a quick check for users; the kernels' numbers of record come from the JMH benchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the image tower, the text tower and classification on this machine (and, with --images, "
                + "embedding image files end to end): latency percentiles (ms), throughput and peak resident memory, "
                + "as a table (or --json).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelLocation location;

    @Option(names = "--random", paramLabel = "ARCH",
            description = "Instead of --model, a model with synthetic random weights built in memory: vit-b-32, "
                    + "vit-b-16, siglip-base-16-224 (or tiny and tiny-siglip, for tests). No download.")
    String randomArchitecture;

    @Option(names = "--dtype", paramLabel = "f32|f16|bf16",
            description = "With --random: write the synthetic weights in this dtype to a temporary model folder and "
                    + "load it memory-mapped like a downloaded model (deleted afterwards).")
    String dtype;

    @Mixin
    BackendArgs backendArgs;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Images / prompts per tower call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", defaultValue = "20", paramLabel = "N",
            description = "Timed calls per stage (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N",
            description = "Untimed calls per stage before timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--labels", defaultValue = "10", paramLabel = "N",
            description = "Labels in the classification stage (default: ${DEFAULT-VALUE}).")
    int labelCount;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Also time embedding image files from DIR (recursively), --batch files a call, each call the"
                    + " next files in path order (cycling): reading, decoding and preprocessing included.")
    Path imageFolder;

    @Option(names = "--json", description = "One JSON object on stdout instead of the table.")
    boolean json;

    private PrintWriter progress;
    private List<Path> imageFiles = List.of();

    /** One timed stage's result. */
    private record Stage(String name, String unit, LatencyStats stats) {
    }

    @Override
    public Integer call() {
        validate();
        progress = spec.commandLine().getErr();
        if (imageFolder != null) {
            // Listed before the model loads, so that a wrong folder fails at once.
            imageFiles = ImageFolder.list(imageFolder);
            if (imageFiles.isEmpty()) {
                throw new InputException(imageFolder + ": no image files to time --images with");
            }
        }
        // The towers are called with exactly --batch inputs. The model's own batching splits the labels, and would
        // split an image-files call of more than its default 32 files: raised to --batch, a call is one forward pass.
        ModelOptions options = backendArgs.options();
        options = options.withBatchSize(Math.max(batch, options.batchSize()));
        Path temporaryFolder = null;
        try {
            long loadStart = System.nanoTime();
            ImageTextModel loaded;
            if (randomArchitecture != null && dtype != null) {
                temporaryFolder = createTemporaryFolder();
                say("writing synthetic " + randomArchitecture + " weights (" + dtype + ") to " + temporaryFolder);
                RandomModels.writeFolder(temporaryFolder, randomArchitecture, parseDtype());
                say("loading it");
                loaded = ImageTextModel.load(temporaryFolder.toString(), options, location.hub.hubOptions());
            } else if (randomArchitecture != null) {
                say("building synthetic " + randomArchitecture + " in memory");
                loaded = RandomModels.inMemory(randomArchitecture, options);
            } else {
                say("loading " + location.model);
                loaded = ImageTextModel.load(location.model, options, location.hub.hubOptions());
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            try (ImageTextModel model = loaded) {
                List<Stage> stages = new ArrayList<>();
                long[] firstClassifyNanos = new long[1];
                runStages(model, stages, firstClassifyNanos);
                report(model, loadSeconds, firstClassifyNanos[0] / 1e6, stages);
            }
        } finally {
            deleteQuietly(temporaryFolder);
        }
        return 0;
    }

    private void validate() {
        if (batch < 1 || iterations < 1 || labelCount < 1) {
            throw new ParameterException(spec.commandLine(), "--batch, --iterations and --labels must be at least 1");
        }
        if (warmup < 0 || backendArgs.threads < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup and --threads must not be negative");
        }
        if (randomArchitecture != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new ParameterException(spec.commandLine(), "Give --model or --random, not both");
        }
        if (dtype != null && randomArchitecture == null) {
            throw new ParameterException(spec.commandLine(), "--dtype needs --random");
        }
        if (dtype != null) {
            parseDtype();
        }
    }

    private DType parseDtype() {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f16" -> DType.F16;
            case "bf16" -> DType.BF16;
            default -> throw new ParameterException(spec.commandLine(), "--dtype must be f32, f16 or bf16, got " + dtype);
        };
    }

    private void runStages(ImageTextModel model, List<Stage> stages, long[] firstClassifyNanos) {
        Random random = new Random(42);
        BenchTowers towers = BenchTowers.of(model, random, batch);
        float[][] pixels = randomPixels(random, batch, towers.pixelsPerImage());
        stages.add(time("image tower", "images/s", () -> towers.encodeImages(pixels)));
        if (!imageFiles.isEmpty()) {
            int[] next = {0};
            stages.add(time("embed image files", "images/s", () -> {
                List<ImageInput> inputs = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    inputs.add(ImageInput.of(imageFiles.get(next[0]++ % imageFiles.size())));
                }
                model.embedImages(inputs);
            }));
        }
        for (BenchTowers.TextInput input : towers.textInputs()) {
            stages.add(time(input.stage(), "prompts/s", () -> towers.encodeText(input.ids())));
        }

        ZeroShotClassifier classifier = new ZeroShotClassifier(model);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < labelCount; i++) {
            labels.add("object number " + i);
        }
        ImageInput image = ImageInput.of(randomImage(random));
        say("classify: embedding " + labelCount + " labels (first call)");
        long start = System.nanoTime();
        classifier.classify(image, labels);
        firstClassifyNanos[0] = System.nanoTime() - start;
        Stage classify = time("classify 1 image, " + labelCount + " labels", "images/s",
                () -> classifier.classify(image, labels));
        stages.add(new Stage(classify.name(), classify.unit(), withItems(classify.stats(), 1)));
    }

    private Stage time(String name, String unit, Runnable call) {
        say(name + ": " + warmup + " warm-up, " + iterations + " timed calls");
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        return new Stage(name, unit, LatencyStats.of(nanos, batch));
    }

    private static LatencyStats withItems(LatencyStats stats, int items) {
        return new LatencyStats(stats.minMs(), stats.meanMs(), stats.p50Ms(), stats.p90Ms(), stats.p99Ms(),
                stats.samples(), items);
    }

    /** Preprocessed-looking pixels: roughly what normalization produces (mean 0, spread about 1). */
    private static float[][] randomPixels(Random random, int count, int pixelCount) {
        float[][] pixels = new float[count][pixelCount];
        for (float[] image : pixels) {
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) random.nextGaussian();
            }
        }
        return pixels;
    }

    /** A photo-sized image, so decoding-free preprocessing (resize, crop, normalize) is timed at a real size. */
    private static BufferedImage randomImage(Random random) {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private void report(ImageTextModel model, double loadSeconds, double firstClassifyMs, List<Stage> stages) {
        long peakRssBytes = PeakMemory.peakResidentBytes();
        String modelName = randomArchitecture != null
                ? "synthetic " + randomArchitecture + (dtype != null ? " (" + dtype + " file)" : " (F32, in memory)")
                : location.model;
        int resolvedThreads = backendArgs.threads > 0 ? backendArgs.threads : Runtime.getRuntime().availableProcessors();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonLines lines = new JsonLines(out);
            ObjectNode root = lines.newObject();
            root.put("model", modelName).put("family", model.family()).put("backend", backendArgs.backend).put("threads", resolvedThreads).put("batch", batch)
                    .put("warmup", warmup).put("iterations", iterations).put("loadSeconds", loadSeconds)
                    .put("firstClassifyMs", firstClassifyMs).put("peakRssBytes", peakRssBytes);
            ArrayNode list = root.putArray("stages");
            for (Stage stage : stages) {
                LatencyStats stats = stage.stats();
                list.addObject().put("stage", stage.name()).put("batch", stats.itemsPerCall())
                        .put("p50Ms", stats.p50Ms()).put("p90Ms", stats.p90Ms()).put("p99Ms", stats.p99Ms())
                        .put("minMs", stats.minMs()).put("meanMs", stats.meanMs())
                        .put("throughput", stats.throughputPerSecond()).put("unit", stage.unit());
            }
            lines.write(root);
            return;
        }
        // CPU threads matter to the cpu backend only (auto may pick either; the count is shown as asked).
        String backend = backendArgs.backend;
        String backendText = backend.equals("opencl") ? backend : backend + ", " + resolvedThreads + " threads";
        out.printf(Locale.ROOT, "model %s | family %s | backend %s | batch %d | %d timed calls after %d warm-up%n",
                modelName, model.family(), backendText, batch, iterations, warmup);
        out.printf(Locale.ROOT, "%-32s %5s %9s %9s %9s %9s %9s  %s%n",
                "stage", "batch", "p50 ms", "p90 ms", "p99 ms", "min ms", "mean ms", "throughput");
        for (Stage stage : stages) {
            LatencyStats stats = stage.stats();
            out.printf(Locale.ROOT, "%-32s %5d %9.2f %9.2f %9.2f %9.2f %9.2f  %.1f %s%n", stage.name(),
                    stats.itemsPerCall(), stats.p50Ms(), stats.p90Ms(), stats.p99Ms(), stats.minMs(), stats.meanMs(),
                    stats.throughputPerSecond(), stage.unit());
        }
        out.printf(Locale.ROOT, "load %.2f s | first classify (labels not cached) %.1f ms | peak RSS %s%n",
                loadSeconds, firstClassifyMs, peakRssBytes < 0 ? "unknown" : (peakRssBytes >> 20) + " MiB");
        out.flush();
    }

    private void say(String message) {
        progress.println("bench: " + message);
        progress.flush();
    }

    private static Path createTemporaryFolder() {
        try {
            return Files.createTempDirectory("aperture-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the synthetic weights", e);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("warning: could not delete " + folder + ": " + e.getMessage());
        }
    }
}
