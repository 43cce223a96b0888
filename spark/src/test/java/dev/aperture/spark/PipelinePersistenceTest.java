package dev.aperture.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A pipeline of Aperture's transformers saved and loaded back gives the same output, with every param kept. */
@Tag("slow")
class PipelinePersistenceTest {
    @TempDir
    Path dir;

    @Test
    void aSavedAndReloadedPipelineGivesTheSameRows() throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        Fixtures.writeImages(images, 12);
        Fixtures.writeCorruptImages(images, images.resolve("image-000.png"));
        Dataset<Row> input = LocalSpark.session().read().format("binaryFile").load(images.toString())
                .selectExpr("path", "content", "concat('a photo of ', path) AS caption");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new ImageEmbedder().setModel(Fixtures.clipTiny()).setThreads(1).setBatchSize(5)
                        .setOutputCol("image_embedding").setErrorCol("image_error"),
                new TextEmbedder().setModel(Fixtures.clipTiny()).setThreads(1).setInputCol("caption")
                        .setOutputCol("caption_embedding").setOutputType("vector").setErrorCol("caption_error"),
                new ZeroShotImageClassifier().setModel(Fixtures.clipTiny()).setThreads(1)
                        .setLabels(new String[] {"cat", "dog", "car"}).setTemplates(new String[] {"{} pictured"})
                        .setScoresCol("scores").setErrorCol("label_error")});
        PipelineModel fitted = pipeline.fit(input);
        fitted.write().overwrite().save(dir.resolve("pipeline").toString());

        PipelineModel reloaded = PipelineModel.load(dir.resolve("pipeline").toString());

        ZeroShotImageClassifier classifier = assertInstanceOf(ZeroShotImageClassifier.class, reloaded.stages()[2]);
        assertArrayEquals(new String[] {"cat", "dog", "car"}, classifier.getLabels());
        assertArrayEquals(new String[] {"{} pictured"}, classifier.getTemplates());
        assertEquals(5, assertInstanceOf(ImageEmbedder.class, reloaded.stages()[0]).getBatchSize());
        assertEquals("vector", assertInstanceOf(TextEmbedder.class, reloaded.stages()[1]).getOutputType());
        List<Row> before = fitted.transform(input).drop("content").orderBy("path").collectAsList();
        List<Row> after = reloaded.transform(input).drop("content").orderBy("path").collectAsList();
        assertEquals(15, after.size());
        assertEquals(before, after);
    }
}
