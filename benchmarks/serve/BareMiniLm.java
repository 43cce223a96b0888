import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.TextEmbedder;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The bare model's throughput that {@code aperture serve} is compared with for MiniLM ({@code aperture bench} times
 * CLIP only): the same ONNX file and text the load generator sends, embedded in batches of BATCH through the Java
 * API, for MEASURE_S seconds after WARMUP_S seconds of the same (the server it is compared with is warmed as long).
 * Prints texts/s and the mean ms per batch.
 * {@code java -cp aperture-cli.jar BareMiniLm.java MODEL.onnx "TEXT" BATCH MEASURE_S WARMUP_S}
 */
public class BareMiniLm {
    public static void main(String[] args) {
        Path onnx = Path.of(args[0]);
        List<String> batch = Collections.nCopies(Integer.parseInt(args[2]), args[1]);
        long measureNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        long warmupNanos = Long.parseLong(args[4]) * 1_000_000_000L;
        try (TextEmbedder embedder = TextEmbedder.load(onnx, null, ModelOptions.defaults().withBatchSize(batch.size()))) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < warmupNanos) {
                embedder.embed(batch);
            }
            start = System.nanoTime();
            int calls = 0;
            while (System.nanoTime() - start < measureNanos) {
                embedder.embed(batch);
                calls++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "MiniLM bare, batch %d: %.1f texts/s (%.1f ms per batch, %d batches)%n",
                    batch.size(), calls * batch.size() / seconds, seconds * 1000 / calls, calls);
        }
    }
}
