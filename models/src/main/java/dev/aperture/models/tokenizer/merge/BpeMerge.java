package dev.aperture.models.tokenizer.merge;

import java.util.Arrays;

/**
 * The BPE merge loop every BPE here runs (CLIP's byte-level BPE, the byte-fallback BPE of Gemma-style tokenizer.json,
 * SentencePiece's BPE): exactly like the Rust {@code Word::merge_all}, and like SentencePiece's agenda, a min-heap of
 * (rank, position) candidates is drained: the lowest-ranked adjacent pair merges first, ties go to the leftmost,
 * stale candidates (the pair at that position no longer produces the queued token) are skipped, and each merge
 * proposes the two new pairs it forms with its neighbours. That is O(n log n) in the word length, so a
 * multi-megabyte "word" stays tractable.
 */
public final class BpeMerge {
    private BpeMerge() {
    }

    /** Merges the symbol ids {@code ids[0, n)} (changed in place) and returns the resulting ids. */
    public static int[] mergeAll(int[] ids, int n, PairMergeTable merges) {
        if (n < 2) {
            return n == ids.length ? ids : Arrays.copyOf(ids, n);
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        CandidateHeap candidates = new CandidateHeap(n);
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                offer(candidates, merges, ids[i], ids[i + 1], i);
            }
        }
        int alive = n;
        while (!candidates.isEmpty()) {
            int mergedId = candidates.topMergedId();
            int pos = candidates.poll();
            int right = next[pos];
            if (removed[pos] || right < 0) {
                continue;
            }
            int slot = merges.find(ids[pos], ids[right]);
            // Stale candidate: the pair changed since it was queued (Rust's test: compare the produced ids).
            if (slot < 0 || merges.mergedId(slot) != mergedId) {
                continue;
            }
            ids[pos] = mergedId;
            removed[right] = true;
            alive--;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                offer(candidates, merges, ids[prev[pos]], ids[pos], prev[pos]);
            }
            if (next[pos] >= 0) {
                offer(candidates, merges, ids[pos], ids[next[pos]], pos);
            }
        }
        int[] result = new int[alive];
        for (int i = 0, out = 0; i >= 0; i = next[i]) {
            result[out++] = ids[i];
        }
        return result;
    }

    private static void offer(CandidateHeap candidates, PairMergeTable merges, int left, int right, int position) {
        int slot = merges.find(left, right);
        if (slot >= 0) {
            candidates.add(((long) merges.rank(slot) << 32) | position, merges.mergedId(slot));
        }
    }

    /**
     * A binary min-heap of (rank << 32 | position) keys, which orders by rank, then position, as Rust's Merge does,
     * each carrying the id its merge would produce.
     */
    private static final class CandidateHeap {
        private long[] keys;
        private int[] mergedIds;
        private int size;

        CandidateHeap(int capacity) {
            keys = new long[Math.max(4, capacity)];
            mergedIds = new int[keys.length];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long key, int mergedId) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, keys.length + (keys.length >> 1));
                mergedIds = Arrays.copyOf(mergedIds, keys.length);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                mergedIds[i] = mergedIds[parent];
                i = parent;
            }
            keys[i] = key;
            mergedIds[i] = mergedId;
        }

        int topMergedId() {
            return mergedIds[0];
        }

        /** Removes the smallest key and returns its position. */
        int poll() {
            int position = (int) keys[0];
            long lastKey = keys[--size];
            int lastId = mergedIds[size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (lastKey <= keys[child]) {
                    break;
                }
                keys[i] = keys[child];
                mergedIds[i] = mergedIds[child];
                i = child;
            }
            if (size > 0) {
                keys[i] = lastKey;
                mergedIds[i] = lastId;
            }
            return position;
        }
    }
}
