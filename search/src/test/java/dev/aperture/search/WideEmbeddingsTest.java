package dev.aperture.search;

import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.source.HubOptions;
import dev.aperture.search.lucene.EmbeddingVectors;
import org.apache.lucene.index.IndexWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embeddings wider than Lucene's default limit of 1024 dimensions: SigLIP so400m's 1152, made here by widening
 * clip-tiny's embeddings ({@link WidenedModel}), up to the index's limit of {@value EmbeddingVectors#MAX_DIMENSIONS}.
 */
class WideEmbeddingsTest {
    private static final int WIDTH = 1152;
    /**
     * Committed as one segment, over the 648 vectors from which Lucene builds a segment's HNSW graph (it needs
     * {@code n > 100 ln n}; smaller segments are searched exhaustively, which would leave the graph untested).
     */
    private static final int IMAGES = 700;

    @TempDir
    static Path shared;

    private static ImageTextModel tiny;
    private static ImageTextModel wide;
    private static List<Path> images;
    private static Path indexFolder;

    @BeforeAll
    static void indexGeneratedFolderWithWideEmbeddings() throws IOException {
        tiny = ImageTextModel.load(TestImages.clipTiny().toString(), ModelOptions.defaults(),
                HubOptions.fromEnvironment());
        wide = new WidenedModel(tiny, WIDTH);
        images = TestImages.writeImages(shared.resolve("photos"), IMAGES, 21).stream()
                .map(path -> path.toAbsolutePath().normalize()).toList();
        indexFolder = shared.resolve("index");
        try (ImageIndex index = ImageIndex.open(indexFolder, wide, "clip-tiny-1152", IMAGES)) {
            assertEquals(IMAGES, index.update(images, true, ProgressListener.NONE).added());
        }
    }

    @AfterAll
    static void closeModel() {
        tiny.close();
    }

    @Test
    void everyImageIsStoredWith1152DimensionsInAnHnswGraph() throws IOException {
        IndexContents contents = IndexContents.read(indexFolder);
        assertEquals(IMAGES, contents.paths().size());
        assertTrue(contents.embeddings().values().stream().allMatch(vector -> vector.length == WIDTH));
        assertEquals(IMAGES, contents.graphNodes(), "vectors in HNSW graphs");
    }

    @Test
    void reopenedTheIndexFindsEachImageFirstWithCosineOneBothWays() {
        try (ImageIndex reopened = ImageIndex.open(indexFolder, wide, "clip-tiny-1152")) {
            assertEquals(IMAGES, reopened.size());
            assertEquals(WIDTH, reopened.indexedModel().dimensions());
            for (Path image : images.subList(0, 10)) {
                for (SearchMethod method : SearchMethod.values()) {
                    Hit best = reopened.searchImage(ImageInput.of(image), 3, method).getFirst();
                    assertEquals(image, best.path(), method.name());
                    assertEquals(1.0, best.score(), 1e-5, method.name());
                }
            }
        }
    }

    @Test
    void hnswRecallAtTenAgainstExactIsAtLeast099() {
        Random random = new Random(8);
        int found = 0;
        int queries = 30;
        try (ImageIndex reopened = ImageIndex.open(indexFolder, wide, "clip-tiny-1152")) {
            for (int q = 0; q < queries; q++) {
                // Queries in the embeddings' own subspace (a widened random vector), where neighbours are meaningful.
                float[] query = wide.embedTexts(List.of("query " + random.nextInt()))[0];
                Set<Path> exact = new HashSet<>();
                reopened.searchVector(query, 10, SearchMethod.EXACT).forEach(hit -> exact.add(hit.path()));
                for (Hit hit : reopened.searchVector(query, 10, SearchMethod.HNSW)) {
                    found += exact.contains(hit.path()) ? 1 : 0;
                }
            }
        }
        double recall = found / (queries * 10.0);
        assertTrue(recall >= 0.99, "recall@10 " + recall);
    }

    @Test
    void embeddingsOfExactlyTheLimitAreIndexed(@TempDir Path root) {
        ImageTextModel widest = new WidenedModel(tiny, EmbeddingVectors.MAX_DIMENSIONS);
        try (ImageIndex index = ImageIndex.open(root.resolve("index"), widest, "clip-tiny-4096")) {
            assertEquals(5, index.update(images.subList(0, 5), true, ProgressListener.NONE).added());
            assertEquals(images.get(2), index.searchImage(ImageInput.of(images.get(2)), 1, SearchMethod.HNSW)
                    .getFirst().path());
        }
    }

    @Test
    void embeddingsWiderThanTheLimitAreRefusedBeforeTheFolderIsCreated(@TempDir Path root) {
        Path folder = root.resolve("index");
        ImageTextModel tooWide = new WidenedModel(tiny, EmbeddingVectors.MAX_DIMENSIONS + 1);
        ResourceLimitException refused = assertThrows(ResourceLimitException.class,
                () -> ImageIndex.open(folder, tooWide, "clip-tiny-4097"));
        assertTrue(refused.getMessage().contains("clip-tiny-4097's 4097-d embeddings"), refused.getMessage());
        assertTrue(refused.getMessage().contains("at most 4096 dimensions"), refused.getMessage());
        assertTrue(refused.getMessage().contains(folder.toString()), refused.getMessage());
        assertFalse(Files.exists(folder));
    }

    @Test
    @Tag("slow")
    void aFreshJvmWithOnlyLuceneCoreReadsAndSearchesTheIndex() throws Exception {
        String classPath = codeLocation(ReadWithPlainLucene.class) + File.pathSeparator + codeLocation(IndexWriter.class);
        Path image = images.get(7);
        Path errors = shared.resolve("child-stderr.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, ReadWithPlainLucene.class.getName(), indexFolder.toString(), image.toString())
                .redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), () -> output + "\n" + readQuietly(errors));
        assertEquals(IMAGES + " " + WIDTH + " " + image, output);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static Path codeLocation(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
