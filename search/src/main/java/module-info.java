/**
 * Image search: image embeddings of an {@code ImageTextModel} (CLIP, SigLIP) kept in an embedded Lucene index
 * beside the files they came from, updated incrementally and searched by text, image or vector (HNSW, or exactly).
 * A module of its own so that users of {@code dev.aperture.models} never inherit Lucene.
 *
 * <p>Exported: {@code dev.aperture.search} ({@code ImageIndex}, {@code Hit}, {@code UpdateSummary},
 * {@code ImageFiles}). {@code dev.aperture.search.lucene}, how the index lays out its embeddings in Lucene, goes only to
 * the benchmarks, which build their indexes the same way.
 */
@SuppressWarnings("module")   // the benchmarks module, target of the qualified export, is built after this one
module dev.aperture.search {
    requires transitive dev.aperture.models;
    requires org.apache.lucene.core;

    exports dev.aperture.search;
    exports dev.aperture.search.lucene to dev.aperture.benchmarks;
}
