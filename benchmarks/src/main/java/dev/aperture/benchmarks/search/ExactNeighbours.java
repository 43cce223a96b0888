package dev.aperture.benchmarks.search;

import org.apache.lucene.util.VectorUtil;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The true top {@code k} of each query by brute force: every dot product, with Lucene's vectorized
 * {@link VectorUtil#dotProduct}. Threads take blocks of vectors in turn, generate them, and compare every query with
 * each block while it is in cache (walking all vectors once per query would read gigabytes from memory per query);
 * each thread keeps its own top k per query, merged at the end.
 */
final class ExactNeighbours {
    private static final int BLOCK = 512;

    private ExactNeighbours() {
    }

    /** For each query, the numbers of its {@code k} nearest among vectors {@code 0 .. count - 1}, any order. */
    static int[][] of(SyntheticEmbeddings embeddings, int count, float[][] queries, int k, int threads) {
        AtomicInteger nextBlock = new AtomicInteger();
        TopK[][] perThread = new TopK[threads][];
        Threads.run(threads, thread -> {
            TopK[] best = new TopK[queries.length];
            Arrays.setAll(best, q -> new TopK(k));
            for (int start = nextBlock.getAndIncrement() * BLOCK; start < count;
                 start = nextBlock.getAndIncrement() * BLOCK) {
                float[][] block = embeddings.vectors(start, Math.min(BLOCK, count - start));
                for (int q = 0; q < queries.length; q++) {
                    for (int v = 0; v < block.length; v++) {
                        best[q].offer(start + v, VectorUtil.dotProduct(queries[q], block[v]));
                    }
                }
            }
            perThread[thread] = best;
        });
        int[][] ids = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            TopK merged = new TopK(k);
            for (TopK[] best : perThread) {
                best[q].addTo(merged);
            }
            ids[q] = merged.ids();
        }
        return ids;
    }

    /** The {@code k} best (id, score) pairs offered so far, unsorted, with the worst one's place known. */
    private static final class TopK {
        private final int[] ids;
        private final float[] scores;
        private int size;
        private int worst;

        TopK(int k) {
            ids = new int[k];
            scores = new float[k];
        }

        void offer(int id, float score) {
            if (size < ids.length) {
                ids[size] = id;
                scores[size++] = score;
                if (size == ids.length) {
                    findWorst();
                }
            } else if (score > scores[worst]) {
                ids[worst] = id;
                scores[worst] = score;
                findWorst();
            }
        }

        void addTo(TopK other) {
            for (int i = 0; i < size; i++) {
                other.offer(ids[i], scores[i]);
            }
        }

        private void findWorst() {
            worst = 0;
            for (int i = 1; i < size; i++) {
                if (scores[i] < scores[worst]) {
                    worst = i;
                }
            }
        }

        int[] ids() {
            return Arrays.copyOf(ids, size);
        }
    }
}
