package dev.aperture.search.lucene;

import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;

/**
 * How an image index keeps its embeddings in Lucene: the field, its similarity, the codec and writer settings, and the
 * nearest-neighbour query. {@code ImageIndex} and the search benchmark both build their indexes through this class, so
 * what the benchmark measures is what {@code aperture index} writes.
 *
 * <p>Embeddings are L2-normalized, so they are compared by dot product, which for unit vectors is their cosine.
 */
public final class EmbeddingVectors {
    /** The embedding field's name. */
    public static final String FIELD = "embedding";

    /**
     * The widest embedding an index takes. Lucene's default HNSW format stops at 1024 dimensions; the codec raises it
     * to 4096, beyond every image-text model Aperture loads (SigLIP so400m: 1152, ViT-bigG: 1280).
     */
    public static final int MAX_DIMENSIONS = 4096;

    /**
     * Candidates an approximate search collects per segment before the best {@code k} are kept, when {@code k} is
     * smaller. Lucene's graph search keeps only as many candidates as it is asked for; at {@code k = 10} that misses
     * one true neighbour in eight on a 700-image index (WideEmbeddingsTest), where collecting 100 costs little more
     * (the graph search is logarithmic in the segment's size, linear in the candidates).
     */
    public static final int CANDIDATES = 100;

    private EmbeddingVectors() {
    }

    /**
     * A writer configuration for an image index folder: the wide-vector codec, the index created or appended to, and
     * otherwise Lucene's defaults (16 MB RAM buffer, tiered merging). Each call returns a new one, which callers may
     * tune further (the benchmark raises the RAM buffer).
     */
    public static IndexWriterConfig writerConfig() {
        return new IndexWriterConfig().setCodec(new WideVectorsCodec())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    }

    /** The field holding {@code unitVector}, an L2-normalized embedding of at most {@link #MAX_DIMENSIONS}. */
    public static KnnFloatVectorField field(float[] unitVector) {
        return new KnnFloatVectorField(FIELD, unitVector, VectorSimilarityFunction.DOT_PRODUCT);
    }

    /**
     * The approximate (HNSW) query for the embeddings closest to {@code unitQuery}, an L2-normalized vector: it matches
     * the best {@code max(k, CANDIDATES)} it finds, so a search for its {@code k} top hits
     * ({@code searcher.search(query, k)}) gets them from {@value #CANDIDATES} candidates at least.
     */
    public static Query nearest(float[] unitQuery, int k) {
        return nearest(unitQuery, k, CANDIDATES);
    }

    /** As {@link #nearest(float[], int)} with another candidate count: for the benchmark's comparison of settings. */
    public static Query nearest(float[] unitQuery, int k, int candidates) {
        return new KnnFloatVectorQuery(FIELD, unitQuery, Math.max(k, candidates));
    }

    /**
     * The cosine similarity behind a score of {@link #nearest}: Lucene's DOT_PRODUCT score is
     * {@code (1 + cosine) / 2}, kept non-negative, and is undone here so that approximate and exact search report the
     * same number.
     */
    public static double cosine(float score) {
        return 2.0 * score - 1.0;
    }
}
