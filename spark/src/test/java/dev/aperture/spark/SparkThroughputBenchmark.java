package dev.aperture.spark;

import dev.aperture.core.tensor.DType;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import dev.aperture.models.source.HubOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Spark's overhead, measured: images per second through {@link ImageEmbedder} in {@code local[2]} against
 * {@link ImageTextModel#embedImages} called directly, the same model folder (ViT-B/32 with synthetic weights,
 * written once), batch size and threads, in one JVM, in alternating rounds after a warm-up of each. Not a test; run
 * by {@code benchmarks/spark-overhead.sh} (see benchmarks/RESULTS.md).
 *
 * <p>Arguments: {@code [images (256)] [batch (32)] [threads (2)] [rounds (3)]}.
 */
public final class SparkThroughputBenchmark {
    private SparkThroughputBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int imageCount = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("spark-throughput");
        Path modelFolder = SyntheticClip.writeModelFolder(Files.createDirectories(dir.resolve("vit-b-32")),
                SyntheticClip.VIT_B_32, DType.F32);
        Path imageFolder = Files.createDirectories(dir.resolve("images"));
        List<ImageInput> images = Fixtures.inputs(Fixtures.writeImages(imageFolder, imageCount));
        ModelSpec spec = new ModelSpec(modelFolder.toString(), "cpu", threads, batchSize);
        SparkSession spark = EmbedImages.localSessionBuilder("local[2]").appName("spark-throughput").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        ImageEmbedder embedder = new ImageEmbedder().setModel(spec.model()).setThreads(threads).setBatchSize(batchSize);
        // Two partitions: one per task slot of local[2], both calling the executor's one model.
        Dataset<Row> files = spark.read().format("binaryFile").load(imageFolder.toString()).repartition(2);

        try (ImageTextModel model = ImageTextModel.load(spec.model(), spec.options(), HubOptions.fromEnvironment())) {
            model.embedImages(images);
            embedWithSpark(embedder, files);
            double directTotal = 0;
            double sparkTotal = 0;
            for (int round = 1; round <= rounds; round++) {
                long start = System.nanoTime();
                model.embedImages(images);
                double direct = imageCount / seconds(start);
                start = System.nanoTime();
                embedWithSpark(embedder, files);
                double viaSpark = imageCount / seconds(start);
                directTotal += direct;
                sparkTotal += viaSpark;
                System.out.printf("round %d: direct %.2f images/s, spark local[2] %.2f images/s, spark/direct %.3f%n",
                        round, direct, viaSpark, viaSpark / direct);
            }
            System.out.printf("mean over %d rounds (%d images, batch %d, threads %d): direct %.2f, spark %.2f images/s,"
                    + " spark/direct %.3f%n", rounds, imageCount, batchSize, threads, directTotal / rounds,
                    sparkTotal / rounds, sparkTotal / directTotal);
        } finally {
            spark.stop();
        }
    }

    /** Every embedding computed and dropped: the noop sink runs the whole plan and writes nothing. */
    private static void embedWithSpark(ImageEmbedder embedder, Dataset<Row> files) {
        embedder.transform(files).write().format("noop").mode("overwrite").save();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
