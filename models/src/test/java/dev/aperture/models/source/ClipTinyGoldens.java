package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads a resolved model with {@link ClipModel} and compares its embeddings with clip-tiny's reference outputs
 * (testdata/clip-tiny/golden, computed by transformers), as ClipModelTest does: whichever file the weights came
 * from (safetensors from a pull request, a pickle, shards), they must be clip-tiny's weights.
 */
final class ClipTinyGoldens {

    /** ClipModelTest's tolerance for float32 weights. */
    static final double EMBEDDING_TOLERANCE = 1e-4;

    private ClipTinyGoldens() {
    }

    /** The PNG images' and the texts' embeddings (those the fast tokenizer splits as the reference did). */
    static void assertEmbeddingsMatch(ResolvedModel resolved) {
        Path tiny = TestData.clipTiny();
        JsonNode golden = readGolden(tiny);
        try (ClipModel model = ClipModel.load(resolved, ModelOptions.defaults())) {
            Npy expectedImages = Npy.read(tiny.resolve("golden/image_embeds.npy"));
            for (JsonNode image : golden.get("images")) {
                String file = image.get("file").asText();
                if (file.endsWith(".png")) {
                    assertClose(expectedImages.row(image.get("index").asInt()),
                            model.embedImage(ImageInput.of(tiny.resolve(file))), file);
                }
            }
            Npy expectedTexts = Npy.read(tiny.resolve("golden/text_embeds.npy"));
            List<JsonNode> texts = new ArrayList<>();
            golden.get("texts").forEach(text -> {
                if (text.get("fast_equals_slow").asBoolean()) {
                    texts.add(text);
                }
            });
            float[][] embeddings = model.embedTexts(texts.stream().map(text -> text.get("text").asText()).toList());
            for (int i = 0; i < texts.size(); i++) {
                assertClose(expectedTexts.row(texts.get(i).get("index").asInt()), embeddings[i],
                        "text " + texts.get(i).get("index").asInt());
            }
        }
    }

    private static JsonNode readGolden(Path tiny) {
        try {
            return new ObjectMapper().readTree(tiny.resolve("golden/golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxError <= EMBEDDING_TOLERANCE, what + ": max abs error " + maxError + " > "
                + EMBEDDING_TOLERANCE);
    }
}
