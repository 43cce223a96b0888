package dev.aperture.models.clip;

import dev.aperture.models.TestData;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Activation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClipConfig parse(String json) throws IOException {
        return ClipConfig.fromJson(JSON.readTree(json));
    }

    @Test
    void emptyConfigGetsTransformersDefaults() throws IOException {
        ClipConfig config = parse("{}");
        assertEquals(ClipConfig.TextConfig.defaults(), config.text());
        assertEquals(ClipConfig.VisionConfig.defaults(), config.vision());
        assertEquals(512, config.projectionDim());
        assertEquals(2.6592f, config.logitScaleInitValue());
        assertEquals(49408, config.text().vocabSize());
        assertEquals(49407, config.text().eosTokenId());
        assertEquals(Activation.QUICK_GELU, config.vision().activation());
        assertEquals(50, config.vision().numPositions());
    }

    @Test
    void readsTinyFixtureConfigWithDefaultsForOmittedFields() {
        ClipConfig config = ClipConfig.load(TestData.dir().resolve("clip-tiny/config.json"));
        assertEquals(48, config.text().hiddenSize());
        assertEquals(4, config.text().numAttentionHeads());
        assertEquals(77, config.text().maxPositionEmbeddings());
        assertEquals(49407, config.text().eosTokenId());
        assertEquals(8, config.vision().patchSize());
        assertEquals(17, config.vision().numPositions());
        assertEquals(32, config.projectionDim());
        assertEquals(1e-5f, config.vision().layerNormEps());
    }

    @Test
    void readsLegacyEosTokenIdOfOpenaiConfig() {
        ClipConfig config = ClipConfig.load(TestData.dir().resolve("clip-b32-synthetic/config.json"));
        assertEquals(2, config.text().eosTokenId());
        assertEquals(768, config.vision().hiddenSize());
    }

    @Test
    void legacyConfigDictsOverrideConfigFieldByField() throws IOException {
        ClipConfig config = parse("""
                {"text_config": {"hidden_size": 64, "num_attention_heads": 4},
                 "text_config_dict": {"hidden_size": 128},
                 "vision_config_dict": {"patch_size": 16, "hidden_act": "gelu"}}""");
        assertEquals(128, config.text().hiddenSize());
        assertEquals(4, config.text().numAttentionHeads());
        assertEquals(16, config.vision().patchSize());
        assertEquals(Activation.GELU, config.vision().activation());
    }

    @Test
    void rejectsUnknownActivation() {
        FormatException error = assertThrows(FormatException.class,
                () -> parse("{\"vision_config\": {\"hidden_act\": \"swish\"}}"));
        assertTrue(error.getMessage().contains("swish"), error.getMessage());
    }

    @Test
    void rejectsHiddenSizeNotDivisibleByHeads() {
        FormatException error = assertThrows(FormatException.class,
                () -> parse("{\"text_config\": {\"hidden_size\": 50, \"num_attention_heads\": 8}}"));
        assertTrue(error.getMessage().contains("text_config.hidden_size 50"), error.getMessage());
    }

    @Test
    void rejectsImageSizeNotMultipleOfPatchSize() {
        assertThrows(FormatException.class, () -> parse("{\"vision_config\": {\"image_size\": 100}}"));
    }

    @Test
    void rejectsNonIntegerField() {
        FormatException error = assertThrows(FormatException.class,
                () -> parse("{\"text_config\": {\"vocab_size\": \"many\"}}"));
        assertTrue(error.getMessage().contains("text_config.vocab_size"), error.getMessage());
    }

    @Test
    void rejectsMissingConfigFileNamingIt() {
        Path missing = Path.of("/nonexistent/config.json");
        InputException error = assertThrows(InputException.class, () -> ClipConfig.load(missing));
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }
}
