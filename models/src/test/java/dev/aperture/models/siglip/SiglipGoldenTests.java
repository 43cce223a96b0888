package dev.aperture.models.siglip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.Golden;
import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
import dev.aperture.models.transformer.ActivationRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The towers against transformers' SiglipModel outputs for the three SigLIP fixtures (testdata/siglip-*, see each
 * README.txt): every hidden state at every position, last hidden states, text and image embeddings, logits and
 * sigmoid probabilities, from the goldens' own input ids and pixel values. Tolerances, as for CLIP: 1e-4 max abs
 * error on hidden states and embeddings, 1e-3 on logits (scaled by exp(logit_scale)), 1e-4 on probabilities.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SiglipGoldenTests {
    private static final double HIDDEN_TOLERANCE = 1e-4;
    private static final double LOGITS_TOLERANCE = 1e-3;
    private static final double PROBABILITY_TOLERANCE = 1e-4;

    /** The fixtures: the same architecture, three tokenizers, each with its own random weights. */
    enum Fixture {
        SIGLIP_UNIGRAM("siglip-tiny"),
        SIGLIP_SPM_BPE("siglip-tiny-spm-bpe"),
        SIGLIP2_GEMMA_BPE("siglip2-tiny");

        final String folder;

        Fixture(String folder) {
            this.folder = folder;
        }

        Path dir() {
            return TestData.dir().resolve(folder);
        }

        Npy golden(String name) {
            return Npy.read(dir().resolve("golden").resolve(name + ".npy"));
        }
    }

    private final Backend backend = createBackend();
    private final Map<Fixture, SiglipTowers> towersByFixture = new EnumMap<>(Fixture.class);

    /** The backend under test; the same goldens and tolerances hold on every backend. */
    abstract Backend createBackend();

    private synchronized SiglipTowers towers(Fixture fixture) {
        return towersByFixture.computeIfAbsent(fixture, f -> {
            try (TensorSource weights = Checkpoints.open(f.dir().resolve("model.safetensors"))) {
                return SiglipTowers.load(weights, SiglipConfig.load(f.dir().resolve("config.json")), backend);
            }
        });
    }

    @AfterAll
    void closeAll() {
        towersByFixture.values().forEach(SiglipTowers::close);
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void textHiddenStatesMatchAtEveryLayerAndPosition(Fixture fixture) {
        SiglipTowers towers = towers(fixture);
        List<String> names = towers.textTower().hiddenStateTapNames();
        ActivationRecorder recorder = new ActivationRecorder(backend, names);
        towers.encodeText(fixture.golden("input_ids").intRows(), recorder);
        assertLayersMatch(fixture + " text_hidden_states", fixture.golden("text_hidden_states").floats(),
                recorder.get(names));
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void textLastHiddenStateMatchesAtAllPositions(Fixture fixture) {
        ActivationRecorder recorder = new ActivationRecorder(backend, List.of(SiglipTextTower.FINAL_LAYER_NORM));
        towers(fixture).encodeText(fixture.golden("input_ids").intRows(), recorder);
        Golden.assertMaxError(fixture + " text_last_hidden_state", fixture.golden("text_last_hidden_state").floats(),
                recorder.get(SiglipTextTower.FINAL_LAYER_NORM), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void textEmbeddingsMatchFromTheLastPositionUnmasked(Fixture fixture) {
        float[][] features = towers(fixture).encodeText(fixture.golden("input_ids").intRows());
        Golden.assertMaxError(fixture + " text_embeds_unnormalized",
                fixture.golden("text_embeds_unnormalized").floats(), Golden.flatten(features), HIDDEN_TOLERANCE);
        Golden.assertMaxError(fixture + " text_embeds", fixture.golden("text_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(features)), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void visionHiddenStatesMatchAtEveryLayerAndPatch(Fixture fixture) {
        SiglipTowers towers = towers(fixture);
        List<String> names = towers.visionTower().hiddenStateTapNames();
        ActivationRecorder recorder = new ActivationRecorder(backend, names);
        towers.encodeImages(fixture.golden("pixel_values").floatRows(), recorder);
        assertLayersMatch(fixture + " vision_hidden_states", fixture.golden("vision_hidden_states").floats(),
                recorder.get(names));
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void visionLastHiddenStateIsPostLayerNormed(Fixture fixture) {
        ActivationRecorder recorder = new ActivationRecorder(backend, List.of(SiglipVisionTower.POST_LAYERNORM));
        towers(fixture).encodeImages(fixture.golden("pixel_values").floatRows(), recorder);
        Golden.assertMaxError(fixture + " vision_last_hidden_state",
                fixture.golden("vision_last_hidden_state").floats(), recorder.get(SiglipVisionTower.POST_LAYERNORM),
                HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void imageEmbeddingsMatchTheAttentionPoolingHead(Fixture fixture) {
        float[][] features = towers(fixture).encodeImages(fixture.golden("pixel_values").floatRows());
        Golden.assertMaxError(fixture + " image_embeds_unnormalized",
                fixture.golden("image_embeds_unnormalized").floats(), Golden.flatten(features), HIDDEN_TOLERANCE);
        Golden.assertMaxError(fixture + " image_embeds", fixture.golden("image_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(features)), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void logitsAreScaledCosinesPlusBiasAndProbabilitiesTheirSigmoids(Fixture fixture) {
        SiglipTowers towers = towers(fixture);
        float[][] images = towers.encodeImages(fixture.golden("pixel_values").floatRows());
        float[][] texts = towers.encodeText(fixture.golden("input_ids").intRows());
        float[] logits = Golden.logitsPerImage(images, texts, towers.logitScale());
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] += towers.logitBias();
            probabilities[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
        }
        Golden.assertMaxError(fixture + " logits_per_image", fixture.golden("logits_per_image").floats(), logits,
                LOGITS_TOLERANCE);
        Golden.assertMaxError(fixture + " probs_per_image", fixture.golden("probs_per_image").floats(),
                probabilities, PROBABILITY_TOLERANCE);
    }

    /** Compares each recorded layer with its slice of a {@code [layers, ...]} golden. */
    private static void assertLayersMatch(String what, float[] golden, List<float[]> layers) {
        int perLayer = layers.getFirst().length;
        assertEquals(golden.length, perLayer * layers.size(), what + ": layers x values");
        for (int layer = 0; layer < layers.size(); layer++) {
            Golden.assertMaxError(what + "[" + layer + "]",
                    Arrays.copyOfRange(golden, layer * perLayer, (layer + 1) * perLayer), layers.get(layer),
                    HIDDEN_TOLERANCE);
        }
    }
}
