package dev.aperture.models.tokenizer.merge;

import java.util.Arrays;

/**
 * The BPE merge rules as a primitive hash table: (left id, right id) -> (rank, id of the merged token), where a lower
 * rank merges first. tokenizer.json and merges.txt rank a rule by its line in the merges list; SentencePiece's BPE
 * ranks by the merged piece's score, so there several pairs (those forming pieces of equal score) share a rank and
 * the leftmost goes first. Open addressing over long keys keeps the hot lookup in BPE free of boxing.
 */
public final class PairMergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;

    /**
     * Rules ranked by their order: rule i has rank i.
     *
     * @param lefts     left token id of each merge rule, in rank order
     * @param rights    right token id of each rule
     * @param mergedIds id of the token each rule produces
     */
    public PairMergeTable(int[] lefts, int[] rights, int[] mergedIds) {
        this(lefts, rights, mergedIds, null);
    }

    /**
     * Rules with explicit ranks.
     *
     * @param ranks rank of each rule (lower merges first), or null to rank rules by their order
     */
    public PairMergeTable(int[] lefts, int[] rights, int[] mergedIds, int[] ranks) {
        int capacity = Integer.highestOneBit(Math.max(4, lefts.length * 2 + 1)) << 1;
        this.keys = new long[capacity];
        this.ranks = new int[capacity];
        this.mergedIds = new int[capacity];
        Arrays.fill(keys, EMPTY);
        this.mask = capacity - 1;
        for (int rule = 0; rule < lefts.length; rule++) {
            // A repeated rule keeps its last rank, as the Rust library's HashMap collect does.
            put(key(lefts[rule], rights[rule]), ranks == null ? rule : ranks[rule], mergedIds[rule]);
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void put(long key, int rank, int mergedId) {
        int i = slot(key) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
        mergedIds[i] = mergedId;
    }

    /** The table slot of the rule merging {@code left} then {@code right}, or -1 when no rule does. */
    int find(int left, int right) {
        long key = key(left, right);
        int i = slot(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Rank of the rule in {@code slot}. */
    int rank(int slot) {
        return ranks[slot];
    }

    /** Id of the token the rule in {@code slot} produces. */
    int mergedId(int slot) {
        return mergedIds[slot];
    }
}
