package dev.aperture.search.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;

/**
 * Lucene's default codec, except that the embedding field's HNSW vectors may be up to
 * {@link EmbeddingVectors#MAX_DIMENSIONS} wide instead of {@value KnnVectorsFormat#DEFAULT_MAX_DIMENSIONS}: SigLIP
 * so400m embeds to 1152 dimensions. Per-field formats are the codec's documented extension point.
 *
 * <p>Segments record this codec under Lucene's own name ({@code Lucene104}), and the field under Lucene's own HNSW
 * format ({@link WideHnswVectorsFormat} says why), so reading an index needs only lucene-core.
 */
final class WideVectorsCodec extends Lucene104Codec {
    private final KnnVectorsFormat embeddings = new WideHnswVectorsFormat(EmbeddingVectors.MAX_DIMENSIONS);

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return field.equals(EmbeddingVectors.FIELD) ? embeddings : super.getKnnVectorsFormatForField(field);
    }
}
