package dev.aperture.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.InputException;
import dev.aperture.models.TestData;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API end to end on the tiny CLIP fixture: strings and image files in, the reference's embeddings out.
 * The fixture's text goldens were computed from the slow tokenizer's ids; they equal the fast tokenizer's (which we
 * reproduce) for every text but one (golden.json's fast_equals_slow), so text comparisons skip that one.
 */
class ClipModelTest {
    private static final double EMBEDDING_TOLERANCE = 1e-4;
    /** JPEG decoders differ by a few levels per pixel (see the image preprocessing tests); this bounds the effect. */
    private static final double JPEG_EMBEDDING_TOLERANCE = 2e-2;

    private static final Path TINY = TestData.clipTiny();
    private static ClipModel model;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        model = ClipModel.load(TINY, ModelOptions.defaults().withBatchSize(4));
        golden = new ObjectMapper().readTree(TINY.resolve("golden/golden.json").toFile());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void textEmbeddingsMatchReferenceWithin1e4() {
        List<String> texts = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (JsonNode text : golden.get("texts")) {
            if (text.get("fast_equals_slow").asBoolean()) {
                texts.add(text.get("text").asText());
                indices.add(text.get("index").asInt());
            }
        }
        float[][] embeddings = model.embedTexts(texts);
        float[][] unnormalized = model.embedTextsUnnormalized(texts, (done, total) -> { });
        Npy expected = Npy.read(TINY.resolve("golden/text_embeds.npy"));
        Npy expectedUnnormalized = Npy.read(TINY.resolve("golden/text_embeds_unnormalized.npy"));
        for (int i = 0; i < texts.size(); i++) {
            assertClose(expected.row(indices.get(i)), embeddings[i], EMBEDDING_TOLERANCE, "text " + indices.get(i));
            assertClose(expectedUnnormalized.row(indices.get(i)), unnormalized[i], EMBEDDING_TOLERANCE, "text " + indices.get(i));
        }
    }

    @Test
    void imageEmbeddingsFromPngFilesMatchReferenceWithin1e4() {
        Npy expected = Npy.read(TINY.resolve("golden/image_embeds.npy"));
        List<ImageInput> pngs = new ArrayList<>();
        for (JsonNode image : golden.get("images")) {
            if (image.get("file").asText().endsWith(".png")) {
                pngs.add(ImageInput.of(TINY.resolve(image.get("file").asText())));
            }
        }
        float[][] embeddings = model.embedImages(pngs);
        for (int i = 0; i < pngs.size(); i++) {
            assertClose(expected.row(i), embeddings[i], EMBEDDING_TOLERANCE, pngs.get(i).name());
        }
    }

    @Test
    void imageEmbeddingOfJpegIsCloseToReference() {
        Npy expected = Npy.read(TINY.resolve("golden/image_embeds.npy"));
        float[] embedding = model.embedImage(ImageInput.of(TINY.resolve("images/shapes_80x60_rgb_q90.jpg")));
        assertClose(expected.row(5), embedding, JPEG_EMBEDDING_TOLERANCE, "jpeg");
    }

    @Test
    void bytesBufferedImagesAndFilesGiveTheSameEmbedding() throws IOException {
        Path file = TINY.resolve("images/shapes_80x60_rgb.png");
        float[] fromFile = model.embedImage(ImageInput.of(file));
        float[] fromBytes = model.embedImage(ImageInput.of(Files.readAllBytes(file), "shapes"));
        float[] fromDecoded = model.embedImage(ImageInput.of(ImageIO.read(file.toFile())));
        assertClose(fromFile, fromBytes, 0, "bytes");
        assertClose(fromFile, fromDecoded, 0, "BufferedImage");
    }

    @Test
    void batchingDoesNotChangeResults() {
        List<String> texts = List.of("a photo of a cat", "a dog", "", "Hello, world. How are you?", "x y z", "cat");
        float[][] batched = model.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertClose(model.embedText(texts.get(i)), batched[i], 1e-6, texts.get(i));
        }
    }

    @Test
    void progressIsReportedPerBatch() {
        List<int[]> calls = new ArrayList<>();
        model.embedTexts(List.of("a", "b", "c", "d", "e", "f"), (done, total) -> calls.add(new int[]{done, total}));
        assertEquals(2, calls.size(), "6 texts in batches of 4");
        assertEquals(4, calls.get(0)[0]);
        assertEquals(6, calls.get(1)[0]);
        assertEquals(6, calls.get(1)[1]);
    }

    @Test
    void logitScaleIsExponentiated() {
        double expected = Npy.read(TINY.resolve("golden/logit_scale_exp.npy")).floats()[0];
        assertEquals(expected, model.logitScale(), 1e-5);
    }

    @Test
    void missingModelFolderIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> ClipModel.load(TINY.resolve("no-such-folder")));
        assertTrue(e.getMessage().contains("no-such-folder"), e.getMessage());
    }

    @Test
    void unreadableImageIsAnInputErrorNamingIt() {
        ImageInput garbage = ImageInput.of(new byte[]{1, 2, 3, 4}, "garbage.png");
        var e = assertThrows(dev.aperture.core.ApertureException.class, () -> model.embedImage(garbage));
        assertTrue(e.getMessage().contains("garbage.png"), e.getMessage());
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxError <= tolerance, what + ": max abs error " + maxError + " > " + tolerance);
    }
}
