package dev.aperture.benchmarks.search;

import dev.aperture.search.lucene.EmbeddingVectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Top-k search over synthetic embeddings ({@link SyntheticEmbeddings}) in an index written with
 * {@code aperture index}'s Lucene settings ({@link EmbeddingVectors}: field, dot-product similarity, codec, writer
 * configuration, HNSW query), and the recall of its results against the exact top k (brute force).
 *
 * <p>How the index is built, and how that differs from {@code aperture index}: {@code --threads} threads (default:
 * every processor) add the vectors and commit once ({@code --commit-every 0}); the writer is then closed, which waits
 * for Lucene's merges, like the end of an update. The RAM buffer ({@code --ram-buffer-mb}, default 3000) holds a
 * million 512-d vectors (about 2.6 KB each with their graph), so each thread's segment is flushed once, at the end:
 * every extra segment would lengthen the force-merge below, which inserts every vector outside the largest segment
 * into that segment's graph, on one thread. {@code aperture index} writes from one thread, but waits on the model far
 * longer than on Lucene (a few hundred images a second at most), so the build time here is Lucene's alone, not what
 * indexing images costs. It also commits every 32 images ({@code --batch}), so Lucene's tiered merging leaves it with
 * some tens of segments at a million images, never one: {@code --commit-every 32} reproduces that, at the cost of
 * merging graphs over and over (far longer than the 20-minute budget of a million vectors on 2 cores). Search is timed on the segments the build left, then again after
 * {@code forceMerge(1)}, the best case. Each query is timed as {@code ImageIndex.searchVector} runs it: the HNSW
 * query for the top k, then each hit's stored field (here an id, there the path), on one thread, through one fresh
 * reader of the just-written (page-cached) folder, after one untimed pass of every query.
 *
 * <p>Documents hold only the embedding and a stored id, where {@code aperture index} also stores and indexes the
 * path and the hash: that changes the size on disk, not the vector search.
 */
public final class VectorSearchBenchmark {
    private static final String ID = "id";
    /** Vectors generated at a time by one building thread. */
    private static final int BLOCK = 512;

    private VectorSearchBenchmark() {
    }

    /** One layout's results at one candidate count. */
    private record Row(String layout, int segments, long bytes, int candidates, double p50Ms, double p99Ms,
                       double recall) {
    }

    public static void main(String[] args) throws IOException {
        SearchBenchmarkOptions options = SearchBenchmarkOptions.parse(args);
        long start = System.nanoTime();
        SyntheticEmbeddings embeddings = new SyntheticEmbeddings(options.dimensions(), options.latent(),
                options.clusters(), options.seed());
        float[][] queries = embeddings.vectors(options.vectors(), options.queries());
        int[][] exact = ExactNeighbours.of(embeddings, options.vectors(), queries, options.k(),
                Runtime.getRuntime().availableProcessors());
        say("exact top %d of %,d queries among %,d vectors (%d-d) in %.1f s", options.k(), queries.length,
                options.vectors(), options.dimensions(), seconds(start));

        deleteRecursively(options.index());
        try (FSDirectory directory = FSDirectory.open(options.index())) {
            start = System.nanoTime();
            build(directory, embeddings, options);
            double buildSeconds = seconds(start);
            say("built the index in %.1f s", buildSeconds);
            Row[] asBuilt = measure(directory, "as built", queries, exact, options);
            start = System.nanoTime();
            try (IndexWriter writer = new IndexWriter(directory, EmbeddingVectors.writerConfig())) {
                writer.forceMerge(1);
            }
            double mergeSeconds = seconds(start);
            say("force-merged to one segment in %.1f s", mergeSeconds);
            Row[] merged = measure(directory, "force-merged", queries, exact, options);
            report(options, buildSeconds, mergeSeconds, asBuilt, merged);
        }
        deleteRecursively(options.index());
    }

    /**
     * Adds every vector from {@code --threads} threads, each generating and adding blocks of vectors in turn (each
     * thread fills its own in-memory segment, so graph building uses every core), committing every
     * {@code --commit-every} vectors if asked, then closes the writer.
     */
    private static void build(FSDirectory directory, SyntheticEmbeddings embeddings, SearchBenchmarkOptions options)
            throws IOException {
        IndexWriterConfig config = EmbeddingVectors.writerConfig().setRAMBufferSizeMB(options.ramBufferMb());
        AtomicInteger nextBlock = new AtomicInteger();
        AtomicInteger added = new AtomicInteger();
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            Threads.run(options.threads(), thread -> {
                for (int start = nextBlock.getAndIncrement() * BLOCK; start < options.vectors();
                     start = nextBlock.getAndIncrement() * BLOCK) {
                    float[][] block = embeddings.vectors(start, Math.min(BLOCK, options.vectors() - start));
                    for (int i = 0; i < block.length; i++) {
                        add(writer, start + i, block[i], added.incrementAndGet(), options);
                    }
                }
            });
        }
    }

    private static void add(IndexWriter writer, int id, float[] vector, int added, SearchBenchmarkOptions options) {
        Document document = new Document();
        document.add(EmbeddingVectors.field(vector));
        document.add(new StoredField(ID, id));
        try {
            writer.addDocument(document);
            if (options.commitEvery() > 0 && added % options.commitEvery() == 0) {
                writer.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add vector " + id + " to " + options.index(), e);
        }
        if (added % 100_000 == 0) {
            say("  %,d added", added);
        }
    }

    private static Row[] measure(FSDirectory directory, String layout, float[][] queries, int[][] exact,
                                 SearchBenchmarkOptions options) throws IOException {
        long bytes = sizeOnDisk(directory);
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Row[] rows = new Row[options.candidates().length];
            for (int c = 0; c < rows.length; c++) {
                int candidates = options.candidates()[c];
                for (float[] query : queries) {
                    search(searcher, query, options.k(), candidates);   // warm-up: JIT, graph and vector pages
                }
                long[] nanos = new long[queries.length];
                int found = 0;
                for (int q = 0; q < queries.length; q++) {
                    long start = System.nanoTime();
                    int[] ids = search(searcher, queries[q], options.k(), candidates);
                    nanos[q] = System.nanoTime() - start;
                    found += overlap(ids, exact[q]);
                }
                Arrays.sort(nanos);
                rows[c] = new Row(layout, reader.leaves().size(), bytes, candidates, percentileMs(nanos, 0.50),
                        percentileMs(nanos, 0.99), found / (double) (queries.length * options.k()));
            }
            return rows;
        }
    }

    /** The ids of the top {@code k} hits, as {@code ImageIndex} searches: the HNSW query, then each hit's stored field. */
    private static int[] search(IndexSearcher searcher, float[] query, int k, int candidates) throws IOException {
        TopDocs top = searcher.search(EmbeddingVectors.nearest(query, k, candidates), k);
        StoredFields stored = searcher.storedFields();
        int[] ids = new int[top.scoreDocs.length];
        for (int i = 0; i < ids.length; i++) {
            ScoreDoc hit = top.scoreDocs[i];
            ids[i] = stored.document(hit.doc, Set.of(ID)).getField(ID).numericValue().intValue();
        }
        return ids;
    }

    private static int overlap(int[] found, int[] exact) {
        int common = 0;
        for (int id : found) {
            for (int truth : exact) {
                if (id == truth) {
                    common++;
                    break;
                }
            }
        }
        return common;
    }

    /** The nearest-rank percentile of sorted samples, in milliseconds. */
    private static double percentileMs(long[] sortedNanos, double fraction) {
        int rank = (int) Math.ceil(fraction * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    private static void report(SearchBenchmarkOptions options, double buildSeconds, double mergeSeconds,
                               Row[] asBuilt, Row[] merged) {
        System.out.printf(Locale.ROOT, "%,d vectors, %d-d, %d clusters in %d latent dimensions | %,d queries, top %d"
                        + " | build %.1f s (%d threads, RAM buffer %.0f MB, %s) | force-merge %.1f s | %d processors,"
                        + " heap %d MiB%n%n",
                options.vectors(), options.dimensions(), options.clusters(), options.latent(), options.queries(),
                options.k(), buildSeconds, options.threads(), options.ramBufferMb(),
                options.commitEvery() > 0 ? "commit every " + options.commitEvery() : "one commit", mergeSeconds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| layout | segments | size on disk MiB | candidates | p50 ms | p99 ms | recall@" + options.k()
                + " |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : Stream.concat(Arrays.stream(asBuilt), Arrays.stream(merged)).toList()) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %d%s | %.2f | %.2f | %.4f |%n", row.layout(),
                    row.segments(), row.bytes() / 1048576.0, Math.max(options.k(), row.candidates()),
                    row.candidates() == EmbeddingVectors.CANDIDATES ? " (ImageIndex)" : "", row.p50Ms(), row.p99Ms(),
                    row.recall());
        }
    }

    private static long sizeOnDisk(FSDirectory directory) throws IOException {
        long bytes = 0;
        for (String file : directory.listAll()) {
            bytes += directory.fileLength(file);
        }
        return bytes;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "search-bench: " + format + "%n", args);
    }
}
