package dev.aperture.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one {@code local[2]} session per test JVM (starting Spark takes seconds), bound to the loopback
 * address and without its web UI, so the tests need no network and no free port. Spark stops it at JVM exit.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = EmbedImages.localSessionBuilder("local[2]").appName("aperture-spark-tests")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }
}
