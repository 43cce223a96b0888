import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop HTTP load for {@code aperture serve}'s {@code POST /v1/embeddings}: {@code concurrency} virtual threads
 * each send one request, wait for its answer and send the next, for a warm-up and then a measured window. Prints one
 * Markdown table row: requests/s, inputs/s, p50/p99 latency of the requests that finished inside the window, errors,
 * and the mean batch size the server's {@code /metrics} recorded during the window (what dynamic batching merged).
 *
 * <p>A source-file program ({@code java LoadGenerator.java ...}), so the benchmark needs no build of its own and no
 * tool outside the JDK; benchmarks/serve/run.sh runs it.
 *
 * <pre>
 * java LoadGenerator.java URL MODEL text|image PAYLOAD CONCURRENCY WARMUP_S MEASURE_S LABEL [float|base64]
 * </pre>
 * PAYLOAD is the text itself, or an image file sent as a data: URL. Each request carries one input.
 */
public class LoadGenerator {
    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: LoadGenerator URL MODEL text|image PAYLOAD CONCURRENCY WARMUP_S MEASURE_S LABEL"
                    + " [float|base64]");
            System.exit(2);
        }
        String url = args[0];
        String model = args[1];
        String kind = args[2];
        String item = kind.equals("image") ? dataUrl(Path.of(args[3])) : args[3];
        int concurrency = Integer.parseInt(args[4]);
        long warmupNanos = Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
        long measureNanos = Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        String label = args[7];
        String encoding = args.length > 8 ? args[8] : "float";
        String body = "{\"model\":\"" + jsonEscape(model) + "\",\"encoding_format\":\"" + encoding
                + "\",\"input\":[\"" + jsonEscape(item) + "\"]}";

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();

        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long measureUntil = measureFrom + measureNanos;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        List<String> firstErrors = new ArrayList<>();
        BatchStats[] batchesBefore = new BatchStats[1];
        Thread metricsAtWindowStart = Thread.ofVirtual().start(() -> {
            sleepUntil(measureFrom);
            batchesBefore[0] = BatchStats.scrape(http, url, model, kind);
        });
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    while (true) {
                        long sent = System.nanoTime();
                        if (sent >= measureUntil) {
                            return null;
                        }
                        int status;
                        String answer;
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            status = response.statusCode();
                            answer = response.body();
                        } catch (IOException e) {
                            status = -1;
                            answer = e.toString();
                        }
                        long done = System.nanoTime();
                        // Throughput is completions inside the window, whenever they were sent (a closed loop
                        // under a slow model would otherwise lose the requests that straddle its edges).
                        if (done >= measureFrom && done <= measureUntil) {
                            if (status == 200) {
                                latencies.add(done - sent);
                            } else {
                                errors.incrementAndGet();
                                synchronized (firstErrors) {
                                    if (firstErrors.size() < 3) {
                                        firstErrors.add(status + " " + answer.substring(0, Math.min(200, answer.length())));
                                    }
                                }
                            }
                        }
                    }
                });
            }
        }
        metricsAtWindowStart.join();
        BatchStats batchesAfter = BatchStats.scrape(http, url, model, kind);

        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double seconds = measureNanos / 1e9;
        double requestsPerSecond = sorted.length / seconds;
        BatchStats window = batchesAfter.minus(batchesBefore[0]);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %d | %.1f |%n", label, concurrency,
                sorted.length, requestsPerSecond, requestsPerSecond /* one input per request */,
                percentileMs(sorted, 0.50), percentileMs(sorted, 0.99), errors.get(), window.meanInputs());
        firstErrors.forEach(error -> System.err.println("  error: " + error));
    }

    /** Cumulative batch count and inputs from {@code aperture_batch_inputs} for one model and kind. */
    record BatchStats(double count, double inputs) {
        private static final String METRIC = "aperture_batch_inputs";

        static BatchStats scrape(HttpClient http, String url, String model, String kind) {
            try {
                String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return new BatchStats(value(text, "_count", model, kind), value(text, "_sum", model, kind));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot scrape " + url + "/metrics", e);
            }
        }

        private static double value(String metrics, String suffix, String model, String kind) {
            Matcher line = Pattern.compile("^" + METRIC + suffix + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                    .matcher(metrics);
            while (line.find()) {
                if (line.group(1).contains("kind=\"" + kind + "\"") && line.group(1).contains("model=\"" + model + "\"")) {
                    return Double.parseDouble(line.group(2));
                }
            }
            return 0;
        }

        BatchStats minus(BatchStats earlier) {
            return new BatchStats(count - earlier.count, inputs - earlier.inputs);
        }

        double meanInputs() {
            return count == 0 ? 0 : inputs / count;
        }
    }

    private static double percentileMs(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void sleepUntil(long nanoTime) {
        try {
            long remaining = nanoTime - System.nanoTime();
            if (remaining > 0) {
                Thread.sleep(Duration.ofNanos(remaining));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String dataUrl(Path image) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(image));
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
