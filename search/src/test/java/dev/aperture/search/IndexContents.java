package dev.aperture.search;

import dev.aperture.search.lucene.EmbeddingVectors;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an index folder's last commit holds, read with plain Lucene rather than through {@link ImageIndex}, for checks
 * the index does not expose: every live entry's path (duplicates included), each path's stored embedding, and how
 * many vectors sit in HNSW graphs (Lucene builds none for a segment of fewer than 648 vectors, whose vectors it
 * searches exhaustively).
 */
record IndexContents(List<String> paths, Map<String, float[]> embeddings, int graphNodes) {
    static IndexContents read(Path folder) throws IOException {
        List<String> paths = new ArrayList<>();
        Map<String, float[]> embeddings = new HashMap<>();
        int graphNodes = 0;
        try (FSDirectory directory = FSDirectory.open(folder); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                readLeaf(leaf.reader(), paths, embeddings);
                graphNodes += graphNodes(leaf.reader());
            }
        }
        return new IndexContents(paths, embeddings, graphNodes);
    }

    private static void readLeaf(LeafReader reader, List<String> paths, Map<String, float[]> embeddings)
            throws IOException {
        Bits live = reader.getLiveDocs();
        StoredFields stored = reader.storedFields();
        FloatVectorValues vectors = reader.getFloatVectorValues(EmbeddingVectors.FIELD);
        KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
        for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
            if (live == null || live.get(doc)) {
                String path = stored.document(doc, Set.of("path")).get("path");
                paths.add(path);
                embeddings.put(path, vectors.vectorValue(iterator.index()).clone());
            }
        }
    }

    private static int graphNodes(LeafReader leaf) throws IOException {
        KnnVectorsReader vectors = ((CodecReader) FilterLeafReader.unwrap(leaf)).getVectorReader();
        if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
            vectors = perField.getFieldReader(EmbeddingVectors.FIELD);
        }
        return vectors instanceof HnswGraphProvider graphs ? graphs.getGraph(EmbeddingVectors.FIELD).size() : 0;
    }
}
