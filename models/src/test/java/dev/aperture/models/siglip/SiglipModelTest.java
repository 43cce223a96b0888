package dev.aperture.models.siglip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.InputException;
import dev.aperture.models.Golden;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.Scoring;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API end to end on the three SigLIP fixtures: strings and image files in, expected.json's embeddings,
 * logits and sigmoid probabilities out (transformers 5.18, the text tower unmasked as trained). This exercises
 * tokenizer, padding to max_length, preprocessing and both towers together. Tolerances: 1e-4 on embeddings and
 * probabilities, 1e-3 on logits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiglipModelTest {
    private static final double EMBEDDING_TOLERANCE = 1e-4;
    private static final double LOGITS_TOLERANCE = 1e-3;
    private static final double PROBABILITY_TOLERANCE = 1e-4;

    private final Map<String, ImageTextModel> models = new HashMap<>();

    private synchronized ImageTextModel model(String fixture) {
        return models.computeIfAbsent(fixture, f -> ImageTextModel.load(dir(f).toString(),
                ModelOptions.defaults().withBatchSize(4), HubOptions.fromEnvironment().withOffline(true)));
    }

    private static Path dir(String fixture) {
        return TestData.dir().resolve(fixture);
    }

    private static JsonNode expected(String fixture) {
        try {
            return new ObjectMapper().readTree(dir(fixture).resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode expected) {
        List<String> texts = new ArrayList<>();
        expected.get("texts").forEach(text -> texts.add(text.get("text").asText()));
        return texts;
    }

    private static List<ImageInput> images(String fixture, JsonNode expected) {
        List<ImageInput> images = new ArrayList<>();
        expected.get("images").forEach(image -> images.add(ImageInput.of(dir(fixture).resolve(image.get("file").asText()))));
        return images;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    @AfterAll
    void closeAll() {
        models.values().forEach(ImageTextModel::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void loadsAsSiglipFromTheConfigsModelType(String fixture) {
        ImageTextModel model = model(fixture);
        assertInstanceOf(SiglipModel.class, model);
        assertEquals(Scoring.SIGMOID, model.scoring());
        assertEquals(List.of("This is a photo of {}."), model.defaultTemplates());
        assertEquals((float) expected(fixture).get("logit_bias").asDouble(), model.logitBias(), 1e-6);
        assertEquals((float) expected(fixture).get("logit_scale_exp").asDouble(), model.logitScale(), 1e-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void textEmbeddingsOfEveryFixtureTextMatchWithin1e4(String fixture) {
        JsonNode expected = expected(fixture);
        float[][] embeddings = model(fixture).embedTexts(texts(expected));
        for (JsonNode text : expected.get("texts")) {
            int index = text.get("index").asInt();
            Golden.assertMaxError(fixture + " text " + index + " " + text.get("text").asText().replace('\n', ' '),
                    floats(text.get("embedding")), embeddings[index], EMBEDDING_TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void imageEmbeddingsMatchWithin1e4(String fixture) {
        JsonNode expected = expected(fixture);
        float[][] embeddings = model(fixture).embedImages(images(fixture, expected));
        for (JsonNode image : expected.get("images")) {
            Golden.assertMaxError(fixture + " " + image.get("file").asText(), floats(image.get("embedding")),
                    embeddings[image.get("index").asInt()], EMBEDDING_TOLERANCE);
        }
    }

    /** The fixture texts as labels, verbatim ("{}"): each label's logit and sigmoid, independent of the others. */
    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void zeroShotScoresAreEachLabelsSigmoid(String fixture) {
        JsonNode expected = expected(fixture);
        List<String> labels = texts(expected);
        ZeroShotClassifier classifier = new ZeroShotClassifier(model(fixture), List.of("{}"));
        List<List<Label>> results = classifier.classify(images(fixture, expected), labels);
        for (JsonNode image : expected.get("images")) {
            List<Label> ranked = results.get(image.get("index").asInt());
            float[] logits = new float[labels.size()];
            float[] probabilities = new float[labels.size()];
            for (Label label : ranked) {
                assertEquals(Scoring.SIGMOID, label.scoring());
                logits[labels.indexOf(label.label())] = (float) label.logit();
                probabilities[labels.indexOf(label.label())] = (float) label.score();
            }
            String file = image.get("file").asText();
            Golden.assertMaxError(fixture + " " + file + " logits", floats(image.get("logits")), logits,
                    LOGITS_TOLERANCE);
            Golden.assertMaxError(fixture + " " + file + " probs", floats(image.get("probs")), probabilities,
                    PROBABILITY_TOLERANCE);
        }
    }

    @Test
    void textsArePaddedToMaxLengthWhateverTheBatch() {
        // The last position pools the text, so one text alone must embed as it does in a batch of longer ones.
        ImageTextModel model = model("siglip-tiny");
        float[] alone = model.embedTexts(List.of("a photo of a cat"))[0];
        float[] inBatch = model.embedTexts(List.of("a photo of a cat", "a kiwi bird, flightless, from New Zealand."))[0];
        Golden.assertMaxError("alone vs in a batch", alone, inBatch, 1e-6);
    }

    @Test
    void aClosedModelRefusesWork() {
        ImageTextModel model = ImageTextModel.load(dir("siglip-tiny").toString(), ModelOptions.defaults(),
                HubOptions.fromEnvironment().withOffline(true));
        model.close();
        InputException e = assertThrows(InputException.class, () -> model.embedTexts(List.of("a cat")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
