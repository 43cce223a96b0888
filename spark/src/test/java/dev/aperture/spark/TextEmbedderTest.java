package dev.aperture.spark;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.source.HubOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TextEmbedder} in {@code local[2]}: 1,000 texts through CLIP's text tower, 300 through BERT (MiniLM). */
@Tag("slow")
class TextEmbedderTest {
    private static final List<String> TEXTS = Fixtures.texts(1000);
    /** Fewer for MiniLM, 20 times the tiny CLIP's work per text: enough for ten batches in each of four partitions. */
    private static final List<String> BERT_TEXTS = TEXTS.subList(0, 300);

    /** The texts with their position, in four partitions so that both task threads run. */
    private static Dataset<Row> textTable(List<String> texts) {
        return LocalSpark.session().createDataset(texts, Encoders.STRING()).toDF("text")
                .selectExpr("monotonically_increasing_id() AS id", "text").repartition(4);
    }

    /** Each text's Spark embedding, in the texts' order. */
    private static float[][] embedInSpark(TextEmbedder embedder, List<String> texts) {
        List<Row> rows = embedder.setThreads(1).setBatchSize(32).transform(textTable(texts))
                .orderBy("id").select("embedding", "error").collectAsList();
        assertEquals(texts.size(), rows.size());
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            assertNull(rows.get(i).get(1), texts.get(i));
            out[i] = Fixtures.floats(rows.get(i).getList(0));
        }
        return out;
    }

    @Test
    void clipTextEmbeddingsEqualTheJavaApisBitForBit() {
        float[][] expected;
        try (ImageTextModel model = ImageTextModel.load(Fixtures.clipTiny(),
                new ModelSpec(Fixtures.clipTiny(), "cpu", 1, 32).options(), HubOptions.fromEnvironment())) {
            expected = model.embedTexts(TEXTS);
        }
        float[][] actual = embedInSpark(new TextEmbedder().setModel(Fixtures.clipTiny()), TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(expected[i], actual[i], TEXTS.get(i));
        }
    }

    @Test
    void bertSentenceEmbeddingsEqualTheJavaApisBitForBit(@TempDir Path dir) throws IOException {
        Path onnx = Fixtures.miniLmOnnx(dir);
        float[][] expected;
        try (var embedder = dev.aperture.models.bert.TextEmbedder.load(onnx, null,
                new ModelSpec(onnx.toString(), "cpu", 1, 32).options())) {
            expected = embedder.embed(BERT_TEXTS);
        }
        float[][] actual = embedInSpark(new TextEmbedder().setModel(onnx.toString()), BERT_TEXTS);
        assertEquals(384, actual[0].length);
        for (int i = 0; i < BERT_TEXTS.size(); i++) {
            assertArrayEquals(expected[i], actual[i], BERT_TEXTS.get(i));
        }
    }

    @Test
    void aNullTextGivesANullEmbeddingAndAnErrorWhileTheOthersEmbed() {
        List<String> texts = Arrays.asList("a cat", null, "a dog");
        List<Row> rows = new TextEmbedder().setModel(Fixtures.clipTiny()).setThreads(1)
                .transform(LocalSpark.session().createDataset(texts, Encoders.STRING()).toDF("text"))
                .select("text", "embedding", "error").collectAsList();

        assertEquals(3, rows.size());
        assertNull(rows.get(1).get(1));
        assertTrue(rows.get(1).getString(2).contains("null"), rows.get(1).getString(2));
        assertNull(rows.get(0).get(2));
        assertNull(rows.get(2).get(2));
        assertEquals(32, rows.get(2).getList(1).size());
    }
}
