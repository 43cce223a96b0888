package dev.aperture.search;

import java.nio.file.Path;

/**
 * One search result: an indexed image and its cosine similarity to the query (in [-1, 1], higher is closer), the
 * same number whether the search was approximate (HNSW) or exact.
 */
public record Hit(Path path, double score) {
}
