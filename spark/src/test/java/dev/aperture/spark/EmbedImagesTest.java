package dev.aperture.spark;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example job end to end, in process: a folder of images in, Parquet out, read back. */
@Tag("slow")
class EmbedImagesTest {
    @TempDir
    Path dir;

    @Test
    void writesPathEmbeddingErrorLabelAndScoreToParquet() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Fixtures.writeImages(images, 10);
        Fixtures.writeCorruptImages(images, images.resolve("image-000.png"));
        Path output = dir.resolve("out.parquet");

        EmbedImages.main(new String[] {"--input", images.toString(), "--output", output.toString(),
                "--model", Fixtures.clipTiny(), "--master", "local[2]", "--labels", "cat, dog,car", "--batch", "4",
                "--threads", "1"});

        var parquet = LocalSpark.session().read().parquet(output.toString());
        assertEquals(List.of("path", "embedding", "error", "label", "score"), List.of(parquet.columns()));
        assertEquals("array<float>", parquet.schema().apply("embedding").dataType().simpleString());
        List<Row> rows = parquet.collectAsList();
        assertEquals(13, rows.size());
        for (Row row : rows) {
            boolean corrupt = Fixtures.CORRUPT_NAMES.stream().anyMatch(row.getString(0)::endsWith);
            if (corrupt) {
                assertNull(row.get(1));
                assertNotNull(row.get(2));
                assertNull(row.get(3));
            } else {
                assertEquals(32, row.getList(1).size());
                assertNull(row.get(2));
                assertTrue(Set.of("cat", "dog", "car").contains(row.getString(3)), row.getString(3));
                assertTrue(row.getDouble(4) > 0 && row.getDouble(4) <= 1, row.toString());
            }
        }
    }
}
