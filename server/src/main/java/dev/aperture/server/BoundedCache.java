package dev.aperture.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used map, for the classifiers requests reuse (one per template set or label set), so that
 * label embeddings are computed once across requests while clients cannot make the server keep unboundedly many.
 * A missing value is built outside the lock: two requests may build the same one, and one of them is kept.
 */
final class BoundedCache<K, V> {
    private final int capacity;
    private final LinkedHashMap<K, V> entries;

    BoundedCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    V get(K key, Function<K, V> build) {
        synchronized (entries) {
            V found = entries.get(key);
            if (found != null) {
                return found;
            }
        }
        V built = build.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, built);
            return raced != null ? raced : built;
        }
    }
}
