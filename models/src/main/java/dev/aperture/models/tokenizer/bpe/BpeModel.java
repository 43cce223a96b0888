package dev.aperture.models.tokenizer.bpe;

import dev.aperture.core.InputException;

import java.util.Arrays;
import java.util.Map;

/**
 * Byte-level BPE over one word, reproducing the Hugging Face {@code tokenizers} BPE model (no dropout).
 *
 * <p>A word starts as one symbol per UTF-8 byte (its byte-level character; the first symbol gets no continuing
 * prefix, the last gets the end-of-word suffix, CLIP's "&lt;/w&gt;"). Then, exactly like the Rust
 * {@code Word::merge_all}, a min-heap of (rank, position) candidates is drained: the lowest-ranked adjacent pair
 * merges first, ties go to the leftmost, stale candidates are skipped, and each merge proposes the two new pairs it
 * forms with its neighbours. That is O(n log n) in the word length, so a multi-megabyte "word" stays tractable.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final PairMergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    private final String continuingPrefix;
    private final String endOfWordSuffix;
    /** Initial symbol id per [first?0:1][last?1:0][byte]; -1 where the vocabulary lacks that symbol. */
    private final int[][][] byteSymbolIds = new int[2][2][256];

    BpeModel(Map<String, Integer> vocab, PairMergeTable merges, int unkId, boolean fuseUnk, boolean ignoreMerges,
             String continuingPrefix, String endOfWordSuffix) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
        this.continuingPrefix = continuingPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        for (int first = 0; first < 2; first++) {
            for (int last = 0; last < 2; last++) {
                for (int b = 0; b < 256; b++) {
                    String symbol = String.valueOf(ByteLevelAlphabet.charOf(b));
                    Integer id = vocab.get(symbolText(symbol, first == 0, last == 1));
                    byteSymbolIds[first][last][b] = id == null ? -1 : id;
                }
            }
        }
    }

    /** Token text to id, the whole vocabulary. */
    Map<String, Integer> vocab() {
        return vocab;
    }

    private String symbolText(String symbol, boolean first, boolean last) {
        String text = first ? symbol : continuingPrefix + symbol;
        return last ? text + endOfWordSuffix : text;
    }

    /** Token ids of one pre-tokenized word given as its UTF-8 bytes (non-empty). */
    int[] encodeWord(byte[] utf8) {
        if (ignoreMerges) {
            Integer whole = vocab.get(wholeWordText(utf8));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] ids = initialSymbols(utf8);
        return mergeAll(ids, ids.length);
    }

    private String wholeWordText(byte[] utf8) {
        // Rust looks the bare word up, without the end-of-word suffix.
        StringBuilder text = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            text.append(ByteLevelAlphabet.charOf(b));
        }
        return text.toString();
    }

    /** One symbol per byte; bytes missing from the vocabulary become the unknown token (fused if configured). */
    private int[] initialSymbols(byte[] utf8) {
        int n = utf8.length;
        int[] ids = new int[n];
        int count = 0;
        boolean previousWasUnk = false;
        for (int i = 0; i < n; i++) {
            int id = byteSymbolIds[i == 0 ? 0 : 1][i == n - 1 ? 1 : 0][utf8[i] & 0xFF];
            if (id >= 0) {
                ids[count++] = id;
                previousWasUnk = false;
                continue;
            }
            if (unkId < 0) {
                throw new InputException("BPE cannot encode byte 0x" + Integer.toHexString(utf8[i] & 0xFF)
                        + ": not in the vocabulary and the tokenizer has no unknown token");
            }
            if (!(fuseUnk && previousWasUnk)) {
                ids[count++] = unkId;
            }
            previousWasUnk = true;
        }
        return count == n ? ids : Arrays.copyOf(ids, count);
    }

    private int[] mergeAll(int[] ids, int n) {
        if (n < 2) {
            return ids;
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        LongMinHeap candidates = new LongMinHeap(n);
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                offer(candidates, ids[i], ids[i + 1], i);
            }
        }
        int alive = n;
        while (!candidates.isEmpty()) {
            long top = candidates.poll();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[pos];
            if (removed[pos] || right < 0) {
                continue;
            }
            int currentRank = merges.rank(ids[pos], ids[right]);
            // Stale candidate: the pair changed since it was queued (same test as Rust: compare produced ids).
            if (currentRank < 0 || merges.mergedId(currentRank) != merges.mergedId(rank)) {
                continue;
            }
            ids[pos] = merges.mergedId(rank);
            removed[right] = true;
            alive--;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                offer(candidates, ids[prev[pos]], ids[pos], prev[pos]);
            }
            if (next[pos] >= 0) {
                offer(candidates, ids[pos], ids[next[pos]], pos);
            }
        }
        int[] result = new int[alive];
        for (int i = 0, out = 0; i >= 0; i = next[i]) {
            result[out++] = ids[i];
        }
        return result;
    }

    private void offer(LongMinHeap candidates, int left, int right, int position) {
        int rank = merges.rank(left, right);
        if (rank >= 0) {
            candidates.add(((long) rank << 32) | position);
        }
    }

    /** A binary min-heap of longs; (rank << 32 | position) orders by rank, then position, as Rust's Merge does. */
    private static final class LongMinHeap {
        private long[] heap;
        private int size;

        LongMinHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long value) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, heap.length + (heap.length >> 1));
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= value) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = value;
        }

        long poll() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (last <= heap[child]) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            if (size > 0) {
                heap[i] = last;
            }
            return top;
        }
    }
}
