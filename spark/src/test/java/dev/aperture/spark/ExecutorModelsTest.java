package dev.aperture.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One model per JVM: every task of every job that names the same model and options shares one loaded copy. */
@Tag("slow")
class ExecutorModelsTest {

    @Test
    void aModelIsLoadedOncePerJvmWhateverTheTasksAndJobs(@TempDir Path dir) throws IOException {
        // A copy of the fixture under a new path is a model no other test has loaded in this JVM.
        Path model = Files.createDirectories(dir.resolve("clip"));
        try (Stream<Path> files = Files.list(Path.of(Fixtures.clipTiny()))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        Path images = Files.createDirectories(dir.resolve("images"));
        Fixtures.writeImages(images, 24);
        int loadsBefore = ExecutorModels.loadCount();

        Dataset<Row> files = LocalSpark.session().read().format("binaryFile").load(images.toString()).repartition(6);
        ImageEmbedder imageEmbedder = new ImageEmbedder().setModel(model.toString()).setThreads(1).setBatchSize(4);
        assertEquals(24, imageEmbedder.transform(files).filter("error IS NULL").count());
        Dataset<Row> texts = LocalSpark.session().createDataset(Fixtures.texts(60), Encoders.STRING()).toDF("text")
                .repartition(6);
        TextEmbedder textEmbedder = new TextEmbedder().setModel(model.toString()).setThreads(1).setBatchSize(4);
        assertEquals(60, textEmbedder.transform(texts).filter("error IS NULL").count());

        assertEquals(1, ExecutorModels.loadCount() - loadsBefore, "loads of one model by 12 tasks in two jobs");
    }
}
