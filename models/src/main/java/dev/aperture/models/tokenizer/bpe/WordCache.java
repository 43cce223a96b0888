package dev.aperture.models.tokenizer.bpe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Thread-safe memo of piece -> token ids. Prompts reuse a small vocabulary of words, so after warm-up almost every
 * piece is a hit. It is bounded two ways so that a hostile stream of unique words cannot exhaust memory: pieces
 * longer than {@link #MAX_PIECE_CHARS} are never stored, and when the map reaches its capacity it is cleared
 * (cheaper and simpler than LRU bookkeeping on every hit, and a typical workload refills it within a few prompts).
 */
final class WordCache {
    /** Longest piece worth caching; longer ones are rare and would dominate the cache's memory. */
    static final int MAX_PIECE_CHARS = 256;

    private final int capacity;
    private final ConcurrentHashMap<String, int[]> entries;

    WordCache(int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1024));
    }

    /** The ids of {@code piece}, computed and (if small enough) stored on a miss; callers must not mutate them. */
    int[] get(String piece, Function<String, int[]> compute) {
        int[] hit = entries.get(piece);
        if (hit != null) {
            return hit;
        }
        int[] ids = compute.apply(piece);
        if (piece.length() <= MAX_PIECE_CHARS) {
            if (entries.size() >= capacity) {
                entries.clear();
            }
            entries.put(piece, ids);
        }
        return ids;
    }

    /** Current number of cached pieces (for tests). */
    int size() {
        return entries.size();
    }
}
