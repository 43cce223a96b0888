package dev.aperture.search;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ProgressListener;
import dev.aperture.search.lucene.EmbeddingVectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Image embeddings of one {@link ImageTextModel} in a Lucene index folder, kept up to date with the files they came
 * from ({@link #update}) and searched by text, image or vector, through Lucene's HNSW graph or exactly.
 *
 * <p>Per image the index stores its absolute path, size, modification time, SHA-256, the model's id and family, and
 * its embedding as a Lucene HNSW vector compared by dot product (the model's embeddings are L2-normalized, so that is
 * their cosine), at most {@value EmbeddingVectors#MAX_DIMENSIONS} wide ({@link EmbeddingVectors}). Every commit records the model ({@link IndexedModel}); opening the folder with another
 * model is refused.
 *
 * <p>Thread-safe: searches run concurrently with each other and with an update; updates run one at a time. The
 * Lucene write lock is held only during {@link #update}, so other processes can search the folder meanwhile (they
 * see each committed batch) and update it once this one is done. The index does not own the model: close the model
 * after the index.
 */
public final class ImageIndex implements AutoCloseable {
    /** Images embedded per model call and per commit, unless {@link #open(Path, ImageTextModel, String, int)} says. */
    public static final int DEFAULT_COMMIT_EVERY = 64;

    private static final String PATH = "path";
    private static final String SIZE = "size";
    private static final String MODIFIED = "modified";
    private static final String SHA256 = "sha256";
    private static final String MODEL = "model";
    private static final String FAMILY = "family";
    private static final Set<String> FILE_FIELDS = Set.of(PATH, SIZE, MODIFIED, SHA256);

    private final Path folder;
    private final ImageTextModel model;
    private final IndexedModel indexedModel;
    private final int commitEvery;
    private final FSDirectory directory;
    private final SearcherManager searchers;
    private final Object updateLock = new Object();
    private volatile boolean closed;

    private ImageIndex(Path folder, ImageTextModel model, IndexedModel indexedModel, int commitEvery,
                       FSDirectory directory, SearcherManager searchers) {
        this.folder = folder;
        this.model = model;
        this.indexedModel = indexedModel;
        this.commitEvery = commitEvery;
        this.directory = directory;
        this.searchers = searchers;
    }

    /** As {@link #open(Path, ImageTextModel, String, int)}, committing every {@value #DEFAULT_COMMIT_EVERY} images. */
    public static ImageIndex open(Path folder, ImageTextModel model, String modelId) {
        return open(folder, model, modelId, DEFAULT_COMMIT_EVERY);
    }

    /**
     * Opens the index in {@code folder}, creating it (and the folder) when there is none.
     *
     * @param modelId     how {@code model} is named (its hub id or folder): recorded in a new index, compared with the
     *                    recorded one in an existing index
     * @param commitEvery images embedded per model call and per commit: an interrupted update loses at most these
     * @throws dev.aperture.core.ModelMismatchException when the index was built with another model (id, family or
     *                                                  embedding width), or is not an Aperture image index
     * @throws InputException                           when another process is creating the index at this moment
     * @throws ResourceLimitException                   when the model's embeddings are wider than
     *                                                  {@value EmbeddingVectors#MAX_DIMENSIONS} dimensions
     */
    public static ImageIndex open(Path folder, ImageTextModel model, String modelId, int commitEvery) {
        if (commitEvery < 1) {
            throw new IllegalArgumentException("commitEvery must be at least 1, got " + commitEvery);
        }
        Path absolute = folder.toAbsolutePath().normalize();
        if (model.embeddingSize() > EmbeddingVectors.MAX_DIMENSIONS) {
            // Refused before the folder is created, rather than by Lucene at the first image added.
            throw new ResourceLimitException("The image index " + absolute + " cannot hold " + modelId + "'s "
                    + model.embeddingSize() + "-d embeddings: an index takes at most "
                    + EmbeddingVectors.MAX_DIMENSIONS + " dimensions");
        }
        IndexedModel wanted = new IndexedModel(modelId, model.family(), model.embeddingSize());
        FSDirectory directory = null;
        try {
            Files.createDirectories(absolute);
            directory = FSDirectory.open(absolute);
            if (!DirectoryReader.indexExists(directory)) {
                // Commit the empty index at once, so that its model is fixed before any image is added.
                try (IndexWriter writer = openWriter(absolute, directory, wanted)) {
                    writer.commit();
                }
            }
            IndexedModel recorded = IndexedModel.fromCommitData(absolute,
                    SegmentInfos.readLatestCommit(directory).getUserData());
            recorded.requireSame(absolute, wanted);
            return new ImageIndex(absolute, model, recorded, commitEvery, directory,
                    new SearcherManager(directory, null));
        } catch (IOException | RuntimeException e) {
            closeQuietly(directory, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the image index " + absolute + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The folder the index lives in, absolute. */
    public Path folder() {
        return folder;
    }

    /** The model the index was built with. */
    public IndexedModel indexedModel() {
        return indexedModel;
    }

    /** How many images the index holds. */
    public int size() {
        ensureOpen();
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    /**
     * Brings the index up to date with {@code files}: embeds files not indexed yet and files whose content changed
     * (size or modification time differ, then the SHA-256 too; a touched file keeps its embedding), in batches of
     * {@code commitEvery}, committing after each batch. A file whose content is already indexed under another path
     * (a copy, a move) reuses that embedding. Files that cannot be decoded or read are reported in the summary and
     * left out; the others are indexed regardless.
     *
     * @param files         image files; relative paths are taken from the working directory; duplicates count once
     * @param removeDeleted whether to remove every entry whose file no longer exists (whether listed or not)
     * @param progress      told after each batch how many of the files to embed are done
     */
    public UpdateSummary update(List<Path> files, boolean removeDeleted, ProgressListener progress) {
        synchronized (updateLock) {
            ensureOpen();
            Map<String, IndexedImage> indexed = indexedImages();
            List<FailedImage> failed = new ArrayList<>();
            List<Candidate> candidates = new ArrayList<>();
            int unchanged = 0;
            Set<String> seen = new HashSet<>();
            for (Path file : files) {
                Path absolute = file.toAbsolutePath().normalize();
                if (!seen.add(absolute.toString())) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
                } catch (IOException e) {
                    failed.add(new FailedImage(absolute, "cannot read: " + e.getMessage()));
                    continue;
                }
                IndexedImage previous = indexed.get(absolute.toString());
                long size = attributes.size();
                long modified = attributes.lastModifiedTime().toMillis();
                if (previous != null && previous.size() == size && previous.modifiedMillis() == modified) {
                    unchanged++;
                } else {
                    candidates.add(new Candidate(absolute, size, modified, previous));
                }
            }
            int added = 0;
            int updated = 0;
            int removed = 0;
            int embedded = 0;
            try (IndexWriter writer = openWriter(folder, directory, indexedModel)) {
                if (removeDeleted) {
                    for (IndexedImage image : indexed.values()) {
                        if (!seen.contains(image.path()) && Files.notExists(Path.of(image.path()))) {
                            writer.deleteDocuments(new Term(PATH, image.path()));
                            removed++;
                        }
                    }
                }
                for (int start = 0; start < candidates.size(); start += commitEvery) {
                    List<Candidate> batch = candidates.subList(start, Math.min(start + commitEvery, candidates.size()));
                    List<Candidate> toEmbed = new ArrayList<>();
                    List<String> hashes = new ArrayList<>();
                    for (Candidate candidate : batch) {
                        String sha256;
                        try {
                            sha256 = ContentHash.sha256(candidate.path());
                        } catch (IOException e) {
                            failed.add(new FailedImage(candidate.path(), "cannot read: " + e.getMessage()));
                            continue;
                        }
                        float[] known = candidate.previous() != null && candidate.previous().sha256().equals(sha256)
                                ? embeddingOf(new Term(PATH, candidate.path().toString()))
                                : embeddingOf(new Term(SHA256, sha256));
                        if (known != null) {
                            // Touched but not changed (same content, new time), or a copy of an indexed image.
                            writer.updateDocument(pathTerm(candidate), document(candidate, sha256, known));
                            if (candidate.previous() == null) {
                                added++;
                            } else if (candidate.previous().sha256().equals(sha256)) {
                                unchanged++;
                            } else {
                                updated++;
                            }
                        } else {
                            toEmbed.add(candidate);
                            hashes.add(sha256);
                        }
                    }
                    float[][] embeddings = embedEach(toEmbed, failed);
                    for (int i = 0; i < toEmbed.size(); i++) {
                        if (embeddings[i] != null) {
                            Candidate candidate = toEmbed.get(i);
                            writer.updateDocument(pathTerm(candidate), document(candidate, hashes.get(i),
                                    embeddings[i]));
                            embedded++;
                            if (candidate.previous() == null) {
                                added++;
                            } else {
                                updated++;
                            }
                        }
                    }
                    writer.commit();
                    searchers.maybeRefreshBlocking();
                    progress.progress(start + batch.size(), candidates.size());
                }
                writer.commit();
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot update the image index " + folder + ": " + e.getMessage(), e);
            }
            return new UpdateSummary(added, updated, removed, unchanged, embedded, failed);
        }
    }

    /** The {@code k} images closest to a text, by the model's text embedding. */
    public List<Hit> searchText(String text, int k, SearchMethod method) {
        ensureOpen();
        return searchVector(model.embedTexts(List.of(text))[0], k, method);
    }

    /** The {@code k} images closest to an image (which need not be in the index). */
    public List<Hit> searchImage(ImageInput image, int k, SearchMethod method) {
        ensureOpen();
        return searchVector(model.embedImages(List.of(image))[0], k, method);
    }

    /**
     * The {@code k} images whose embeddings are closest to {@code query} (normalized here, so any length works), best
     * first, scored by cosine similarity.
     *
     * @throws InputException when {@code query} is not as wide as the index's embeddings, or is all zeros
     */
    public List<Hit> searchVector(float[] query, int k, SearchMethod method) {
        ensureOpen();
        if (k < 1) {
            throw new InputException("The number of results must be at least 1, got " + k);
        }
        if (query.length != indexedModel.dimensions()) {
            throw new InputException("The query vector has " + query.length + " dimensions; the index "
                    + folder + " holds " + indexedModel.dimensions() + "-d embeddings");
        }
        float[] unit = normalized(query);
        return withSearcher(searcher -> method == SearchMethod.HNSW ? hnsw(searcher, unit, k) : exact(searcher, unit, k));
    }

    /** Closes the index folder (waiting for a running update to end); searches after that throw. Idempotent. */
    @Override
    public void close() {
        synchronized (updateLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                searchers.close();
                directory.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the image index " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Hit> hnsw(IndexSearcher searcher, float[] query, int k) throws IOException {
        TopDocs top = searcher.search(EmbeddingVectors.nearest(query, k), k);
        StoredFields stored = searcher.storedFields();
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            hits.add(new Hit(Path.of(stored.document(scoreDoc.doc, Set.of(PATH)).get(PATH)),
                    EmbeddingVectors.cosine(scoreDoc.score)));
        }
        return hits;
    }

    private static List<Hit> exact(IndexSearcher searcher, float[] query, int k) throws IOException {
        record Scored(LeafReaderContext leaf, int doc, double score) {
        }
        // The k best so far, worst on top, so that a better candidate replaces it in O(log k).
        PriorityQueue<Scored> best = new PriorityQueue<>(Comparator.comparingDouble(Scored::score));
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(EmbeddingVectors.FIELD);
            if (vectors == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
            for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                double score = VectorUtil.dotProduct(query, vectors.vectorValue(iterator.index()));
                if (best.size() < k) {
                    best.add(new Scored(leaf, doc, score));
                } else if (score > best.peek().score()) {
                    best.poll();
                    best.add(new Scored(leaf, doc, score));
                }
            }
        }
        List<Scored> ranked = new ArrayList<>(best);
        ranked.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<Hit> hits = new ArrayList<>(ranked.size());
        for (Scored scored : ranked) {
            String path = scored.leaf().reader().storedFields().document(scored.doc(), Set.of(PATH)).get(PATH);
            hits.add(new Hit(Path.of(path), scored.score()));
        }
        return hits;
    }

    /**
     * Embeds the batch in one model call; when that fails on bad input (one corrupt file fails the whole call), one
     * image at a time, so that only the bad ones are lost. Embeddings do not depend on the batch, so both give the
     * same vectors. A failed image's slot is null and its reason goes to {@code failed}.
     */
    private float[][] embedEach(List<Candidate> batch, List<FailedImage> failed) {
        List<ImageInput> inputs = batch.stream().map(candidate -> ImageInput.of(candidate.path())).toList();
        if (inputs.isEmpty()) {
            return new float[0][];
        }
        try {
            return model.embedImages(inputs);
        } catch (FormatException | ResourceLimitException | InputException batchFailure) {
            float[][] embeddings = new float[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    embeddings[i] = model.embedImages(List.of(inputs.get(i)))[0];
                } catch (FormatException | ResourceLimitException | InputException e) {
                    failed.add(new FailedImage(batch.get(i).path(), e.getMessage()));
                }
            }
            return embeddings;
        }
    }

    private Document document(Candidate candidate, String sha256, float[] embedding) {
        Document document = new Document();
        document.add(new StringField(PATH, candidate.path().toString(), Field.Store.YES));
        document.add(new StoredField(SIZE, candidate.size()));
        document.add(new StoredField(MODIFIED, candidate.modifiedMillis()));
        document.add(new StringField(SHA256, sha256, Field.Store.YES));
        document.add(new StoredField(MODEL, indexedModel.modelId()));
        document.add(new StoredField(FAMILY, indexedModel.family()));
        document.add(EmbeddingVectors.field(embedding));
        return document;
    }

    private static Term pathTerm(Candidate candidate) {
        return new Term(PATH, candidate.path().toString());
    }

    /** Every indexed file by path, as of the last commit. */
    private Map<String, IndexedImage> indexedImages() {
        return withSearcher(searcher -> {
            Map<String, IndexedImage> images = new HashMap<>();
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        Document fields = stored.document(doc, FILE_FIELDS);
                        IndexedImage image = new IndexedImage(fields.get(PATH),
                                fields.getField(SIZE).numericValue().longValue(),
                                fields.getField(MODIFIED).numericValue().longValue(), fields.get(SHA256));
                        images.put(image.path(), image);
                    }
                }
            }
            return images;
        });
    }

    /** The embedding of the first committed entry {@code term} matches, or null when none does. */
    private float[] embeddingOf(Term term) {
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new TermQuery(term), 1);
            if (top.scoreDocs.length == 0) {
                return null;
            }
            int doc = top.scoreDocs[0].doc;
            LeafReaderContext leaf = searcher.getIndexReader().leaves()
                    .get(ReaderUtil.subIndex(doc, searcher.getIndexReader().leaves()));
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(EmbeddingVectors.FIELD);
            KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
            if (iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
                return null;
            }
            return vectors.vectorValue(iterator.index()).clone();
        });
    }

    private interface SearcherTask<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherTask<T> task) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return task.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the image index " + folder + ": " + e.getMessage(), e);
        }
    }

    private static IndexWriter openWriter(Path folder, FSDirectory directory, IndexedModel model) throws IOException {
        try {
            IndexWriter writer = new IndexWriter(directory, EmbeddingVectors.writerConfig());
            writer.setLiveCommitData(model.toCommitData().entrySet());
            return writer;
        } catch (LockObtainFailedException e) {
            throw new InputException("The image index " + folder + " is being updated by another process", e);
        }
    }

    private static float[] normalized(float[] vector) {
        double norm = Math.sqrt(VectorUtil.dotProduct(vector, vector));
        if (norm == 0 || !Double.isFinite(norm)) {
            throw new InputException("The query vector has no direction (its norm is " + norm + ")");
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    private void ensureOpen() {
        if (closed) {
            throw new InputException("The image index " + folder + " is closed");
        }
    }

    private static void closeQuietly(FSDirectory directory, Exception failure) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** A file that is new or whose size or time changed: hashed, then embedded unless its content is known. */
    private record Candidate(Path path, long size, long modifiedMillis, IndexedImage previous) {
    }
}
