package dev.aperture.benchmarks.search;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link VectorSearchBenchmark}'s settings, from {@code --name value} arguments.
 *
 * @param vectors     vectors indexed
 * @param dimensions  their width
 * @param queries     queries timed (each also run once untimed first)
 * @param k           results per query
 * @param clusters    clusters of the synthetic embeddings ({@link SyntheticEmbeddings})
 * @param latent      their latent dimension
 * @param threads     threads adding vectors
 * @param ramBufferMb the writer's RAM buffer
 * @param commitEvery commit after this many vectors (0: once, at the end); {@code aperture index} commits every
 *                    {@code --batch} (32) images
 * @param candidates  the candidate counts to search with, one result row each
 * @param index       the index folder, emptied first
 * @param seed        the seed of the vectors and queries
 */
record SearchBenchmarkOptions(int vectors, int dimensions, int queries, int k, int clusters, int latent,
                              int threads, double ramBufferMb, int commitEvery, int[] candidates, Path index, long seed) {
    private static final Set<String> NAMES = Set.of("vectors", "dimensions", "queries", "k", "clusters", "latent",
            "threads", "ram-buffer-mb", "commit-every", "candidates", "index", "seed");

    static SearchBenchmarkOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name) || i + 1 == args.length) {
                throw new IllegalArgumentException("Expected --NAME VALUE pairs with NAME one of " + NAMES
                        + ", got " + String.join(" ", args));
            }
            given.put(name, args[i + 1]);
        }
        return new SearchBenchmarkOptions(number(given, "vectors", "1000000"), number(given, "dimensions", "512"),
                number(given, "queries", "1000"), number(given, "k", "10"), number(given, "clusters", "1000"),
                number(given, "latent", "64"),
                number(given, "threads", Integer.toString(Runtime.getRuntime().availableProcessors())),
                Double.parseDouble(given.getOrDefault("ram-buffer-mb", "3000")),
                number(given, "commit-every", "0"),
                Arrays.stream(given.getOrDefault("candidates", "10,100").split(",")).mapToInt(Integer::parseInt)
                        .toArray(),
                Path.of(given.getOrDefault("index", System.getProperty("java.io.tmpdir") + "/aperture-search-bench")),
                Long.parseLong(given.getOrDefault("seed", "42")));
    }

    private static int number(Map<String, String> given, String name, String fallback) {
        String value = given.getOrDefault(name, fallback);
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got " + value, e);
        }
    }
}
