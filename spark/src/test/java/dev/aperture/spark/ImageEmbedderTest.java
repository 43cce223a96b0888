package dev.aperture.spark;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.source.HubOptions;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageEmbedder} in {@code local[2]} over 200 generated PNGs and a few corrupt files, against the Java API. */
@Tag("slow")
class ImageEmbedderTest {
    @TempDir
    static Path folder;
    private static List<Path> images;
    /** The direct Java API's embedding of each image, by file name. */
    private static final Map<String, float[]> expected = new HashMap<>();
    private static ImageTextModel model;

    @BeforeAll
    static void writeImagesAndEmbedThemDirectly() throws IOException {
        images = Fixtures.writeImages(folder, 200);
        Fixtures.writeCorruptImages(folder, images.getFirst());
        model = ImageTextModel.load(Fixtures.clipTiny(), new ModelSpec(Fixtures.clipTiny(), "cpu", 1, 16).options(),
                HubOptions.fromEnvironment());
        float[][] vectors = model.embedImages(Fixtures.inputs(images));
        for (int i = 0; i < images.size(); i++) {
            expected.put(images.get(i).getFileName().toString(), vectors[i]);
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static ImageEmbedder embedder() {
        return new ImageEmbedder().setModel(Fixtures.clipTiny()).setThreads(1).setBatchSize(16);
    }

    /** The folder as Spark's binaryFile source reads it, in four partitions so that both task threads run. */
    private static Dataset<Row> binaryFiles() {
        return LocalSpark.session().read().format("binaryFile").load(folder.toString()).repartition(4);
    }

    private static String fileName(Row row) {
        String path = row.getAs("path");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Test
    void everyEmbeddingEqualsTheJavaApisBitForBitAndCorruptFilesGiveNullAndAnError() {
        List<Row> rows = embedder().transform(binaryFiles()).select("path", "embedding", "error").collectAsList();

        assertEquals(images.size() + Fixtures.CORRUPT_NAMES.size(), rows.size());
        int corrupt = 0;
        for (Row row : rows) {
            String name = fileName(row);
            if (Fixtures.CORRUPT_NAMES.contains(name)) {
                corrupt++;
                assertNull(row.get(1), name);
                String error = row.getString(2);
                assertNotNull(error, name);
                assertTrue(error.contains(name), error);
            } else {
                assertNull(row.get(2), name);
                assertArrayEquals(expected.get(name), Fixtures.floats(row.getList(1)), name);
            }
        }
        assertEquals(Fixtures.CORRUPT_NAMES.size(), corrupt);
    }

    @Test
    void imagesByPathColumnEmbedAsTheirBytesDo() {
        List<String> paths = images.subList(0, 20).stream().map(Path::toString).toList();
        Dataset<Row> table = LocalSpark.session().createDataset(paths, Encoders.STRING()).toDF("file");
        List<Row> rows = embedder().setInputCol("file").transform(table).collectAsList();

        assertEquals(paths.size(), rows.size());
        for (Row row : rows) {
            String name = Path.of(row.getString(0)).getFileName().toString();
            assertArrayEquals(expected.get(name), Fixtures.floats(row.getList(1)), name);
        }
    }

    @Test
    void vectorOutputHoldsTheSameValuesWidenedToDouble() {
        List<Row> rows = embedder().setOutputType("vector").transform(binaryFiles()).filter("error IS NULL")
                .select("path", "embedding").collectAsList();

        assertEquals(images.size(), rows.size());
        for (Row row : rows) {
            float[] want = expected.get(fileName(row));
            double[] got = ((Vector) row.get(1)).toArray();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 0.0);
            }
        }
    }

    @Test
    void onErrorFailStopsTheJobNamingTheFile() {
        SparkException failure = assertThrows(SparkException.class,
                () -> embedder().setOnError("fail").transform(binaryFiles()).collectAsList());
        assertTrue(Fixtures.CORRUPT_NAMES.stream().anyMatch(name -> String.valueOf(failure.getMessage()).contains(name)),
                failure.getMessage());
    }
}
