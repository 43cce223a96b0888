package dev.aperture.search;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a fresh JVM with nothing but lucene-core beside it (no Aperture class, no service registration of ours):
 * {@code ReadWithPlainLucene INDEX PATH} opens an image index, finds the entry of PATH, searches the HNSW graph with
 * that entry's embedding and prints {@code documents dimensions path-of-the-best-hit}. An index Aperture wrote must
 * read back on plain Lucene, since it names no codec or format Lucene lacks.
 */
final class ReadWithPlainLucene {
    private ReadWithPlainLucene() {
    }

    public static void main(String[] args) throws IOException {
        try (FSDirectory directory = FSDirectory.open(Path.of(args[0]));
             DirectoryReader reader = DirectoryReader.open(directory)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            int doc = searcher.search(new TermQuery(new Term("path", args[1])), 1).scoreDocs[0].doc;
            LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues("embedding");
            KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
            iterator.advance(doc - leaf.docBase);
            float[] query = vectors.vectorValue(iterator.index()).clone();
            ScoreDoc best = searcher.search(new KnnFloatVectorQuery("embedding", query, 1), 1).scoreDocs[0];
            System.out.println(reader.numDocs() + " " + vectors.dimension() + " "
                    + searcher.storedFields().document(best.doc).get("path"));
        }
    }
}
