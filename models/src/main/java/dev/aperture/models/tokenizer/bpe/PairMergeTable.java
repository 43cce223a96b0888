package dev.aperture.models.tokenizer.bpe;

import java.util.Arrays;

/**
 * The BPE merge rules as a primitive hash table: (left id, right id) -> rank, where rank is the rule's line in the
 * merges list (lower merges first), and rank -> id of the merged token. Open addressing over long keys keeps the
 * hot lookup in BPE free of boxing.
 */
final class PairMergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int mask;
    private final int[] mergedIdByRank;

    /**
     * @param lefts     left token id of each merge rule, in rank order
     * @param rights    right token id of each rule
     * @param mergedIds id of the token each rule produces
     */
    PairMergeTable(int[] lefts, int[] rights, int[] mergedIds) {
        int capacity = Integer.highestOneBit(Math.max(4, lefts.length * 2 + 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
        mergedIdByRank = mergedIds.clone();
        for (int rank = 0; rank < lefts.length; rank++) {
            // A repeated rule keeps its last rank, as the Rust library's HashMap collect does.
            put(key(lefts[rank], rights[rank]), rank);
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void put(long key, int rank) {
        int i = slot(key) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
    }

    /** Rank of the rule merging {@code left} then {@code right}, or -1 when no rule does. */
    int rank(int left, int right) {
        long key = key(left, right);
        int i = slot(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return ranks[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Id of the token produced by the rule of the given rank. */
    int mergedId(int rank) {
        return mergedIdByRank[rank];
    }
}
