package dev.aperture.search;

/** How {@link ImageIndex} finds the nearest embeddings. */
public enum SearchMethod {
    /** Lucene's HNSW graph ({@code KnnFloatVectorQuery}): approximate, sublinear in the index size. */
    HNSW,
    /** Brute force: the query's dot product with every stored embedding. Exact, linear in the index size. */
    EXACT
}
