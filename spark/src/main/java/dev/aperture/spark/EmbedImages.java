package dev.aperture.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The example job, run by {@code spark/bin/embed-images} or {@code spark-submit}: embeds every image under a folder
 * and writes Parquet with {@code path} (string), {@code embedding} ({@code array<float>}, null on failure) and
 * {@code error} (string, null on success); with {@code --labels a,b,c} also {@code label} and {@code score}, the
 * zero-shot classification (each image embedded once for both).
 *
 * <pre>
 * embed-images --input DIR --output OUT.parquet [--model ID|DIR] [--master local[2]] [--labels a,b,c]
 *              [--batch N] [--threads N] [--backend cpu|opencl|auto]
 * </pre>
 */
public final class EmbedImages {
    private static final String USAGE = "usage: embed-images --input DIR --output OUT.parquet [--model ID|DIR]"
            + " [--master local[2]] [--labels a,b,c] [--batch N] [--threads N] [--backend cpu|opencl|auto]";

    /** The parsed command line; {@code master} null when not given. */
    record Arguments(String input, String output, String model, String master, List<String> labels, int batchSize,
                     int threads, String backend) {

        static Arguments parse(String... args) {
            String input = null;
            String output = null;
            String model = ApertureTransformer.DEFAULT_MODEL;
            String master = null;
            List<String> labels = List.of();
            int batchSize = 32;
            int threads = 0;
            String backend = "cpu";
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i++]) {
                    case "--input" -> input = value;
                    case "--output" -> output = value;
                    case "--model" -> model = value;
                    case "--master" -> master = value;
                    case "--labels" -> labels = Arrays.stream(value.split(",")).map(String::strip).toList();
                    case "--batch" -> batchSize = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--backend" -> backend = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (input == null || output == null) {
                throw new IllegalArgumentException("--input and --output are required");
            }
            return new Arguments(input, output, model, master, labels, batchSize, threads, backend);
        }
    }

    private EmbedImages() {
    }

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        // A session this job starts is stopped at the end; one that was running already (a notebook, a test) is not.
        boolean started = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        // spark-submit passes its --master as the spark.master property; run alone, the job defaults to local[2].
        String master = arguments.master() != null ? arguments.master()
                : System.getProperty("spark.master", "local[2]");
        SparkSession spark = localSessionBuilder(master).appName("aperture-embed-images").getOrCreate();
        try {
            run(spark, arguments);
        } finally {
            if (started) {
                spark.stop();
            }
        }
    }

    /**
     * A session builder for {@code master}; a {@code local[...]} master binds to the loopback address and has no
     * web UI, so it needs no network and no free port.
     */
    static SparkSession.Builder localSessionBuilder(String master) {
        SparkSession.Builder builder = SparkSession.builder().master(master);
        if (master.startsWith("local")) {
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1");
        }
        return builder;
    }

    /** Reads every file under the input folder, embeds (and classifies) it, writes the Parquet file. */
    static void run(SparkSession spark, Arguments arguments) {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(arguments.input()).select("path", "content");
        Dataset<Row> out;
        List<String> columns = new ArrayList<>(List.of("path", "embedding", "error"));
        if (arguments.labels().isEmpty()) {
            out = configure(new ImageEmbedder(), arguments).transform(files);
        } else {
            out = configure(new ZeroShotImageClassifier(), arguments).setEmbeddingCol("embedding")
                    .setLabels(arguments.labels().toArray(String[]::new)).transform(files);
            columns.addAll(List.of("label", "score"));
        }
        out.selectExpr(columns.toArray(String[]::new)).write().mode(SaveMode.Overwrite).parquet(arguments.output());
    }

    private static <T extends ApertureTransformer<T>> T configure(T transformer, Arguments arguments) {
        return transformer.setModel(arguments.model()).setBatchSize(arguments.batchSize())
                .setThreads(arguments.threads()).setBackend(arguments.backend());
    }
}
