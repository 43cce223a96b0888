import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the JMH JSON and console log of benchmarks/peers/run.sh into Markdown: Aperture against ONNX Runtime per
 * model, shape and thread count, with the ratio; OpenBLAS's sgemm in GFLOP/s (beside Aperture's GEMM) and the kernel
 * OpenBLAS ran; the image tower at batch 32 as a fraction of OpenBLAS's rate; and the MiniLM agreement checks.
 *
 * <p>A source-file program run on the benchmarks jar's class path (for Jackson), like serve/LoadGenerator.java:
 * <pre>
 * java -cp benchmarks.jar PeerReport.java RESULT.json CONSOLE.txt
 * </pre>
 * Every score is JMH's mean ± its 99.9 % error. A ratio's range comes from both ends of both error bars.
 */
public class PeerReport {
    /** Matrix-product FLOPs of one ViT-B/32 image (../shared/peers/onnx-clip-vit-b32/README.txt, RESULTS.md). */
    private static final double IMAGE_GFLOP = 8.818;
    private static final String GEMM = "GemmBenchmark";

    /** A model family's benchmark class and the name the tables give it. */
    private record Family(String benchmarkClass, String model) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("ClipImagePeerBenchmark", "CLIP ViT-B/32 image tower"),
            new Family("ClipTextPeerBenchmark", "CLIP ViT-B/32 text tower"),
            new Family("MiniLmPeerBenchmark", "all-MiniLM-L6-v2"));

    /** One benchmark result: its class, method (the engine), parameters and score. */
    private record Result(String benchmarkClass, String method, Map<String, String> params, double score,
                          double error, String unit) {
        static Result of(JsonNode json) {
            String[] name = json.get("benchmark").asText().split("\\.");
            Map<String, String> params = new TreeMap<>();
            json.path("params").properties().forEach(entry -> params.put(entry.getKey(), entry.getValue().asText()));
            JsonNode metric = json.get("primaryMetric");
            // JMH gives no error (NaN) for a single iteration.
            return new Result(name[name.length - 2], name[name.length - 1], params, metric.get("score").asDouble(),
                    metric.get("scoreError").asDouble(), metric.get("scoreUnit").asText());
        }

        int threads() {
            return Integer.parseInt(params.get("threads"));
        }

        /** Inputs per operation: the batch of images or texts. */
        int batch() {
            return params.containsKey("batch") ? Integer.parseInt(params.get("batch"))
                    : Integer.parseInt(params.get("texts").split("x")[0]);
        }

        /** Tokens per text, 0 for images. */
        int tokens() {
            return params.containsKey("texts") ? Integer.parseInt(params.get("texts").split("x")[1]) : 0;
        }

        String shape() {
            return params.containsKey("batch") ? params.get("batch") + " images"
                    : params.get("texts").replace("x", " × ") + " tokens";
        }

        /** GFLOP/s of a GEMM result (operations per second × 2mnk). */
        double gflops(double opsPerSecond) {
            String[] mnk = params.get("shape").split("x");
            return opsPerSecond * 2.0 * Double.parseDouble(mnk[0]) * Double.parseDouble(mnk[1])
                    * Double.parseDouble(mnk[2]) / 1e9;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PeerReport RESULT.json CONSOLE.txt");
            System.exit(2);
        }
        JsonNode json = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        List<Result> results = new ArrayList<>();
        json.forEach(result -> results.add(Result.of(result)));
        List<String> log = Files.readAllLines(Path.of(args[1]));
        printSettings(json, log);
        printPeers(results);
        printOpenBlas(results, log);
        printImageAgainstOpenBlas(results);
        printLines(log, "MiniLM agreement", "MiniLM: Aperture against ONNX Runtime on the benchmark texts");
    }

    private static void printSettings(JsonNode json, List<String> log) {
        if (json.isEmpty()) {
            throw new IllegalArgumentException("no JMH results in the JSON file");
        }
        JsonNode first = json.get(0);
        System.out.printf("JMH %s, %s %s; %d fork, %d JMH thread; %d warm-up iterations of %s, %d measured of %s%n%n",
                first.get("jmhVersion").asText(), first.get("vmName").asText(), first.get("vmVersion").asText(),
                first.get("forks").asInt(), first.get("threads").asInt(), first.get("warmupIterations").asInt(),
                first.get("warmupTime").asText(), first.get("measurementIterations").asInt(),
                first.get("measurementTime").asText());
        log.stream().filter(line -> line.startsWith("load ") || line.startsWith("commit: "))
                .forEach(line -> System.out.println("- " + line));
        System.out.println();
    }

    private static void printPeers(List<Result> results) {
        System.out.println("| model | shape | threads | Aperture, ms per call | ONNX Runtime, ms per call"
                + " | Aperture, images or texts/s | ONNX Runtime, images or texts/s | Aperture's speed / ONNX Runtime's |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Family family : FAMILIES) {
            results.stream()
                    .filter(r -> r.benchmarkClass().equals(family.benchmarkClass()) && r.method().equals("aperture"))
                    .sorted(Comparator.comparingInt(Result::batch).thenComparingInt(Result::tokens)
                            .thenComparingInt(Result::threads))
                    .forEach(aperture -> printPeerRow(family, aperture, peerOf(results, aperture)));
        }
        System.out.println();
    }

    /** ONNX Runtime's result for the same family, shape and threads. */
    private static Optional<Result> peerOf(List<Result> results, Result aperture) {
        return results.stream()
                .filter(r -> r.benchmarkClass().equals(aperture.benchmarkClass()) && r.method().equals("onnxruntime")
                        && r.shape().equals(aperture.shape()) && r.threads() == aperture.threads())
                .findFirst();
    }

    private static void printPeerRow(Family family, Result aperture, Optional<Result> peer) {
        requireMilliseconds(aperture);
        peer.ifPresent(PeerReport::requireMilliseconds);
        String peerTime = peer.map(r -> scored(r.score(), r.error(), 1)).orElse("-");
        String peerRate = peer.map(r -> String.format(Locale.ROOT, "%.1f", perSecond(r))).orElse("-");
        // Speed ratio = ONNX Runtime's time over Aperture's: above 1, Aperture is faster.
        String ratio = peer.map(r -> ratio(r.score(), r.error(), aperture.score(), aperture.error())).orElse("-");
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %.1f | %s | %s |%n", family.model(),
                aperture.shape(), aperture.threads(), scored(aperture.score(), aperture.error(), 1), peerTime,
                perSecond(aperture), peerRate, ratio);
    }

    private static void requireMilliseconds(Result result) {
        if (!result.unit().equals("ms/op")) {
            throw new IllegalArgumentException(result.benchmarkClass() + "." + result.method() + " is in "
                    + result.unit() + ", expected ms/op");
        }
    }

    private static double perSecond(Result result) {
        return result.batch() * 1000 / result.score();
    }

    private static void printOpenBlas(List<Result> results, List<String> log) {
        System.out.println("| m × n × k | threads | OpenBLAS sgemm, GFLOP/s | Aperture GEMM, GFLOP/s | Aperture / OpenBLAS |");
        System.out.println("|---|---:|---:|---:|---:|");
        results.stream().filter(r -> r.benchmarkClass().equals(GEMM) && r.method().equals("openblas"))
                .sorted(Comparator.comparingDouble((Result r) -> r.gflops(1)).thenComparingInt(Result::threads))
                .forEach(blas -> {
                    Optional<Result> ours = gemm(results, "aperture", blas.params().get("shape"), blas.threads());
                    System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s |%n",
                            blas.params().get("shape").replace("x", " × "), blas.threads(),
                            scored(blas.gflops(blas.score()), blas.gflops(blas.error()), 0),
                            ours.map(r -> scored(r.gflops(r.score()), r.gflops(r.error()), 0)).orElse("-"),
                            ours.map(r -> ratio(r.score(), r.error(), blas.score(), blas.error())).orElse("-"));
                });
        System.out.println();
        printLines(log, "OpenBLAS kernel:", "The kernel OpenBLAS ran (openblas_get_corename, and its build)");
    }

    private static Optional<Result> gemm(List<Result> results, String method, String shape, int threads) {
        return results.stream().filter(r -> r.benchmarkClass().equals(GEMM) && r.method().equals(method)
                && r.params().get("shape").equals(shape) && r.threads() == threads).findFirst();
    }

    private static void printImageAgainstOpenBlas(List<Result> results) {
        System.out.printf(Locale.ROOT, "The image tower at batch 32 against OpenBLAS's sgemm rate (%.3f GFLOP per"
                + " image):%n%n", IMAGE_GFLOP);
        System.out.println("| engine | threads | images/s | GFLOP/s | % of OpenBLAS 768 × 768 × 768"
                + " | % of OpenBLAS 1600 × 3072 × 768 |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        results.stream().filter(r -> r.benchmarkClass().equals(FAMILIES.getFirst().benchmarkClass())
                        && r.batch() == 32)
                .sorted(Comparator.comparing(Result::method).thenComparingInt(Result::threads))
                .forEach(image -> {
                    double gflops = perSecond(image) * IMAGE_GFLOP;
                    System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s | %s |%n", image.method(),
                            image.threads(), perSecond(image), gflops,
                            percentOf(gflops, gemm(results, "openblas", "768x768x768", image.threads())),
                            percentOf(gflops, gemm(results, "openblas", "1600x3072x768", image.threads())));
                });
        System.out.println();
    }

    private static String percentOf(double gflops, Optional<Result> blas) {
        return blas.map(r -> String.format(Locale.ROOT, "%.0f %%", 100 * gflops / r.gflops(r.score()))).orElse("-");
    }

    /** The distinct log lines holding {@code marker}, from the marker on, under {@code title}. */
    private static void printLines(List<String> log, String marker, String title) {
        Set<String> lines = new LinkedHashSet<>();
        for (String line : log) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                lines.add(line.substring(at));
            }
        }
        System.out.println(title + ":");
        System.out.println();
        if (lines.isEmpty()) {
            System.out.println("- (none in the log)");
        }
        lines.forEach(line -> System.out.println("- " + line));
        System.out.println();
    }

    private static String scored(double score, double error, int decimals) {
        return Double.isNaN(error) ? String.format(Locale.ROOT, "%." + decimals + "f", score)
                : String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", score, error);
    }

    /** {@code numerator / denominator} with the range their error bars allow. */
    private static String ratio(double numerator, double numeratorError, double denominator,
                                double denominatorError) {
        if (Double.isNaN(numeratorError) || Double.isNaN(denominatorError)) {
            return String.format(Locale.ROOT, "**%.2f**", numerator / denominator);
        }
        double low = (numerator - numeratorError) / (denominator + denominatorError);
        double high = denominator > denominatorError ? (numerator + numeratorError) / (denominator - denominatorError)
                : Double.POSITIVE_INFINITY;
        return String.format(Locale.ROOT, "**%.2f** (%.2f–%.2f)", numerator / denominator, Math.max(low, 0), high);
    }
}
