package dev.aperture.search;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.source.HubOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageIndex} on the tiny CLIP: a generated folder of 200 images, a few corrupt, with a link loop. */
class ImageIndexTest {
    private static final int IMAGES = 200;

    @TempDir
    static Path shared;

    private static ImageTextModel model;
    private static ImageIndex index;
    private static UpdateSummary firstRun;
    private static List<Path> corrupt;

    @BeforeAll
    static void indexGeneratedFolder() throws IOException {
        model = ImageTextModel.load(TestImages.clipTiny().toString(), ModelOptions.defaults(),
                HubOptions.fromEnvironment());
        Path photos = shared.resolve("photos");
        TestImages.writeImages(photos, IMAGES, 42);
        corrupt = List.of(TestImages.writeCorrupt(photos.resolve("a/broken.png")),
                TestImages.writeCorrupt(photos.resolve("c/truncated.jpg")),
                TestImages.writeCorrupt(photos.resolve("a/b/garbage.gif")));
        Files.createSymbolicLink(photos.resolve("a/b/up"), photos);
        index = ImageIndex.open(shared.resolve("index"), model, "clip-tiny", 32);
        firstRun = index.update(ImageFiles.find(List.of(photos), true), true, ProgressListener.NONE);
    }

    @AfterAll
    static void closeIndex() {
        index.close();
        model.close();
    }

    @Test
    void indexesEveryImageAndReportsEachCorruptFileWithItsReason() {
        assertEquals(IMAGES, firstRun.added());
        assertEquals(IMAGES, firstRun.embedded());
        assertEquals(IMAGES, index.size());
        Set<Path> failedPaths = new HashSet<>();
        for (FailedImage failure : firstRun.failed()) {
            failedPaths.add(failure.path());
            assertTrue(!failure.reason().isBlank(), failure.toString());
        }
        assertEquals(Set.copyOf(corrupt.stream().map(p -> p.toAbsolutePath().normalize()).toList()), failedPaths);
    }

    @Test
    void anImageFindsItselfFirstWithCosineOne() {
        Path image = shared.resolve("photos/a/img-5.png").toAbsolutePath().normalize();
        for (SearchMethod method : SearchMethod.values()) {
            List<Hit> hits = index.searchImage(ImageInput.of(image), 3, method);
            assertEquals(image, hits.getFirst().path(), method.name());
            assertEquals(1.0, hits.getFirst().score(), 1e-5, method.name());
            assertTrue(hits.get(0).score() >= hits.get(1).score() && hits.get(1).score() >= hits.get(2).score());
        }
    }

    @Test
    void hnswRecallAtTenAgainstExactIsAtLeast099() {
        Random random = new Random(7);
        int found = 0;
        int queries = 50;
        for (int q = 0; q < queries; q++) {
            float[] query = new float[model.embeddingSize()];
            for (int i = 0; i < query.length; i++) {
                query[i] = (float) random.nextGaussian();
            }
            Set<Path> exact = paths(index.searchVector(query, 10, SearchMethod.EXACT));
            List<Hit> approximate = index.searchVector(query, 10, SearchMethod.HNSW);
            assertEquals(10, approximate.size());
            for (Hit hit : approximate) {
                found += exact.contains(hit.path()) ? 1 : 0;
            }
        }
        double recall = found / (queries * 10.0);
        assertTrue(recall >= 0.99, "recall@10 " + recall);
    }

    @Test
    void textSearchRanksByTheSameScoresBothWays() {
        List<Hit> exact = index.searchText("a photo of a red square", 5, SearchMethod.EXACT);
        List<Hit> hnsw = index.searchText("a photo of a red square", 5, SearchMethod.HNSW);
        assertEquals(5, exact.size());
        assertEquals(exact.getFirst().path(), hnsw.getFirst().path());
        assertEquals(exact.getFirst().score(), hnsw.getFirst().score(), 1e-5);
    }

    @Test
    void aRerunReembedsOnlyAddedAndChangedFilesAndRemovesDeletedOnes(@TempDir Path root) throws IOException {
        CountingModel counting = new CountingModel(model);
        Path photos = root.resolve("photos");
        List<Path> images = TestImages.writeImages(photos, 20, 9);
        try (ImageIndex small = ImageIndex.open(root.resolve("index"), counting, "clip-tiny", 8)) {
            assertEquals(20, small.update(ImageFiles.find(List.of(photos), false), true, ProgressListener.NONE).added());
            assertEquals(20, counting.imagesEmbedded());

            Files.setLastModifiedTime(images.get(0), FileTime.fromMillis(1_000_000_000_000L));   // touched only
            TestImages.writeImage(images.get(1), new Random(100));                               // new content
            Files.setLastModifiedTime(images.get(1), FileTime.fromMillis(1_000_000_000_000L));
            Files.delete(images.get(2));
            TestImages.writeImage(photos.resolve("c/new-1.png"), new Random(101));
            TestImages.writeImage(photos.resolve("c/new-2.png"), new Random(102));
            Files.copy(images.get(3), photos.resolve("a/copy-of-3.png"));                       // known content

            UpdateSummary rerun = small.update(ImageFiles.find(List.of(photos), false), true, ProgressListener.NONE);

            assertEquals(new UpdateSummary(3, 1, 1, 18, 3, List.of()), rerun);
            assertEquals(23, counting.imagesEmbedded());
            assertEquals(22, small.size());

            UpdateSummary third = small.update(ImageFiles.find(List.of(photos), false), true, ProgressListener.NONE);
            assertEquals(new UpdateSummary(0, 0, 0, 22, 0, List.of()), third);
            assertEquals(23, counting.imagesEmbedded());

            // The changed file's entry holds its new embedding: the new image finds it first.
            Path changed = images.get(1).toAbsolutePath().normalize();
            assertEquals(changed, small.searchImage(ImageInput.of(changed), 1, SearchMethod.EXACT).getFirst().path());
        }
    }

    @Test
    void anIndexBuiltWithOneModelRefusesAnother(@TempDir Path root) {
        try (ImageIndex first = ImageIndex.open(root, model, "clip-tiny")) {
            assertEquals("clip-tiny", first.indexedModel().modelId());
        }
        ModelMismatchException refused = assertThrows(ModelMismatchException.class,
                () -> ImageIndex.open(root, model, "openai/clip-vit-base-patch32"));
        assertTrue(refused.getMessage().contains("built with model clip-tiny (clip, 32-d embeddings)"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("openai/clip-vit-base-patch32"), refused.getMessage());
    }

    @Test
    void theIndexSurvivesReopening(@TempDir Path root) throws IOException {
        List<Path> images = TestImages.writeImages(root.resolve("photos"), 5, 11);
        try (ImageIndex first = ImageIndex.open(root.resolve("index"), model, "clip-tiny")) {
            first.update(images, false, ProgressListener.NONE);
        }
        try (ImageIndex reopened = ImageIndex.open(root.resolve("index"), model, "clip-tiny")) {
            assertEquals(5, reopened.size());
            assertEquals(5, reopened.update(images, false, ProgressListener.NONE).unchanged());
        }
    }

    private static Set<Path> paths(List<Hit> hits) {
        Set<Path> paths = new HashSet<>();
        hits.forEach(hit -> paths.add(hit.path()));
        return paths;
    }
}
