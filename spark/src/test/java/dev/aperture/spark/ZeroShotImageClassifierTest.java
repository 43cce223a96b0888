package dev.aperture.spark;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ZeroShotImageClassifier} in {@code local[2]} against the models' {@link ZeroShotClassifier}. */
@Tag("slow")
class ZeroShotImageClassifierTest {
    private static final List<String> LABELS = List.of("cat", "dog", "car", "tree", "boat");
    private static final List<String> TEMPLATES = List.of("a photo of a {}.", "a drawing of a {}.");

    @TempDir
    static Path folder;
    private static List<Path> images;

    @BeforeAll
    static void writeImages() {
        images = Fixtures.writeImages(folder, 40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny", "siglip-tiny"})
    void labelsScoresLogitsAndEmbeddingsEqualTheJavaClassifiers(String fixture) {
        String modelFolder = fixture.equals("clip-tiny") ? Fixtures.clipTiny() : Fixtures.siglipTiny();
        List<List<Label>> expected;
        float[][] expectedEmbeddings;
        try (ImageTextModel model = ImageTextModel.load(modelFolder, new ModelSpec(modelFolder, "cpu", 1, 8).options(),
                HubOptions.fromEnvironment())) {
            expected = new ZeroShotClassifier(model, TEMPLATES).classify(Fixtures.inputs(images), LABELS);
            expectedEmbeddings = model.embedImages(Fixtures.inputs(images));
        }
        ZeroShotImageClassifier classifier = new ZeroShotImageClassifier().setModel(modelFolder).setThreads(1)
                .setBatchSize(8).setLabels(LABELS.toArray(String[]::new)).setTemplates(TEMPLATES.toArray(String[]::new))
                .setScoresCol("scores").setEmbeddingCol("embedding");
        List<Row> rows = classifier.transform(LocalSpark.session().read().format("binaryFile")
                        .load(folder.toString()).repartition(3))
                .orderBy("path").select("label", "score", "scores", "embedding", "error").collectAsList();

        assertEquals(images.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            List<Label> ranked = expected.get(i);
            assertEquals(null, row.get(4));
            assertEquals(ranked.getFirst().label(), row.getString(0));
            assertEquals(ranked.getFirst().score(), row.getDouble(1), 0.0);
            List<Row> scores = row.getList(2);
            assertEquals(LABELS.size(), scores.size());
            for (int k = 0; k < ranked.size(); k++) {
                assertEquals(ranked.get(k).label(), scores.get(k).getString(0));
                assertEquals(ranked.get(k).score(), scores.get(k).getDouble(1), 0.0);
                assertEquals(ranked.get(k).logit(), scores.get(k).getDouble(2), 0.0);
            }
            assertArrayEquals(expectedEmbeddings[i], Fixtures.floats(row.getList(3)));
        }
    }
}
