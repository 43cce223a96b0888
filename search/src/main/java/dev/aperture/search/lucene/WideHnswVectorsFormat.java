package dev.aperture.search.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Lucene's HNSW vectors format with a wider dimension limit: every file is written and read by
 * {@link Lucene99HnswVectorsFormat} itself, only {@link #getMaxDimensions} differs.
 *
 * <p>It keeps that format's SPI name on purpose. The name is what a segment records for the field and what Lucene
 * looks up to read it, and what it reads is exactly Lucene99HnswVectorsFormat's files: so a fresh JVM with nothing but
 * lucene-core on its path (Luke, CheckIndex, a later Aperture) reads the index, with no service registration of ours
 * to get right on the class path and the module path. The limit matters only when writing: Lucene checks it when a
 * field is first added to a segment.
 */
final class WideHnswVectorsFormat extends KnnVectorsFormat {
    private final KnnVectorsFormat lucene = new Lucene99HnswVectorsFormat();
    private final int maxDimensions;

    WideHnswVectorsFormat(int maxDimensions) {
        super(Lucene99HnswVectorsFormat.class.getSimpleName());
        this.maxDimensions = maxDimensions;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return lucene.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return lucene.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return maxDimensions;
    }

    @Override
    public String toString() {
        return lucene + " up to " + maxDimensions + " dimensions";
    }
}
