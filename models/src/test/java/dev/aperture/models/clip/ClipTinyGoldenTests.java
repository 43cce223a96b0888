package dev.aperture.models.clip;

import dev.aperture.models.InMemoryTensors;
import dev.aperture.models.Golden;

import dev.aperture.models.TestData;
import dev.aperture.models.Npy;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The towers against Hugging Face CLIPModel outputs for testdata/clip-tiny (see its README.txt): every hidden state
 * at every position, pooled outputs, features and logits, for the F32 weights and their F16 and BF16 casts (each
 * against goldens computed from those same rounded weights), and for those weights re-saved as PyTorch checkpoints
 * in six layouts. Tolerances: 1e-4 max abs error on hidden states,
 * pooled outputs and features; 1e-3 on logits (they are scaled by exp(logit_scale)).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClipTinyGoldenTests {
    private static final double HIDDEN_TOLERANCE = 1e-4;
    private static final double LOGITS_TOLERANCE = 1e-3;
    private static final int NUM_TEXTS = 13;
    private static final int NUM_IMAGES = 6;
    private static final int TEXT_LENGTH = 77;

    /** A set of weights and the goldens computed from it. */
    enum Variant {
        F32("clip-tiny/model.safetensors", "golden"),
        F16("clip-tiny/model.fp16.safetensors", "golden_fp16"),
        BF16("clip-tiny/model.bf16.safetensors", "golden_bf16"),
        // The same weights re-saved by the real torch.save (testdata/checkpoints/README.txt), read without a pickle VM.
        BIN_ZIP("checkpoints/clip-tiny-bin/zip/pytorch_model.bin", "golden"),
        BIN_LEGACY("checkpoints/clip-tiny-bin/legacy/pytorch_model.bin", "golden"),
        BIN_FP16("checkpoints/clip-tiny-bin/fp16/pytorch_model.bin", "golden_fp16"),
        BIN_BF16("checkpoints/clip-tiny-bin/bf16/pytorch_model.bin", "golden_bf16"),
        BIN_SHARED_STORAGE_VIEWS("checkpoints/clip-tiny-bin/views/pytorch_model.bin", "golden"),
        BIN_SHARDED("checkpoints/clip-tiny-bin/sharded/pytorch_model.bin.index.json", "golden");

        /** Relative to testdata/. */
        final String weights;
        final String goldenDir;

        Variant(String weights, String goldenDir) {
            this.weights = weights;
            this.goldenDir = goldenDir;
        }

        Path weightsPath() {
            return TestData.dir().resolve(weights);
        }
    }

    private final Backend backend = createBackend();
    private final Map<Variant, ClipTowers> towersByVariant = new EnumMap<>(Variant.class);

    /** The backend under test; the same goldens and tolerances hold on every backend. */
    abstract Backend createBackend();

    private static Path fixture() {
        return TestData.clipTiny();
    }

    private synchronized ClipTowers towers(Variant variant) {
        return towersByVariant.computeIfAbsent(variant, v -> {
            try (TensorSource weights = Checkpoints.open(v.weightsPath())) {
                return ClipTowers.load(weights, ClipConfig.load(fixture().resolve("config.json")), backend);
            }
        });
    }

    private static Npy input(String name) {
        return Npy.read(fixture().resolve("golden").resolve(name + ".npy"));
    }

    private static Npy expected(Variant variant, String name) {
        return Npy.read(fixture().resolve(variant.goldenDir).resolve(name + ".npy"));
    }

    private static int[][] ids() {
        return input("input_ids").intRows();
    }

    private static int[][] mask() {
        return input("attention_mask").intRows();
    }

    private static float[][] pixels() {
        return input("pixel_values").floatRows();
    }

    @AfterAll
    void closeAll() {
        towersByVariant.values().forEach(ClipTowers::close);
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void textHiddenStatesMatchAtEveryLayerAndPosition(Variant variant) {
        TextOutputs outputs = towers(variant).forwardText(ids(), mask(), true);
        float[] golden = expected(variant, "text_hidden_states").floats();
        int perLayer = NUM_TEXTS * TEXT_LENGTH * 48;
        assertEquals(golden.length / perLayer, outputs.hiddenStates().size());
        for (int layer = 0; layer < outputs.hiddenStates().size(); layer++) {
            Golden.assertMaxError(variant + " text_hidden_states[" + layer + "]",
                    Arrays.copyOfRange(golden, layer * perLayer, (layer + 1) * perLayer),
                    outputs.hiddenStates().get(layer), HIDDEN_TOLERANCE);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void textLastHiddenStateWithMaskMatchesAtAllPositions(Variant variant) {
        TextOutputs outputs = towers(variant).forwardText(ids(), mask(), true);
        assertEquals(TEXT_LENGTH, outputs.seqLen());
        Golden.assertMaxError(variant + " text_last_hidden_state", expected(variant, "text_last_hidden_state").floats(),
                outputs.lastHiddenState(), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void textLastHiddenStateWithoutMaskMatchesAtAllPositions(Variant variant) {
        TextOutputs outputs = towers(variant).forwardText(ids(), null, true);
        Golden.assertMaxError(variant + " text_last_hidden_state_nomask",
                expected(variant, "text_last_hidden_state_nomask").floats(), outputs.lastHiddenState(),
                HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void textPoolerOutputMatchesWhenComputingOnlyUpToLastEos(Variant variant) {
        TextOutputs outputs = towers(variant).forwardText(ids(), mask(), false);
        Golden.assertMaxError(variant + " text_pooler_output", expected(variant, "text_pooler_output").floats(),
                Golden.flatten(outputs.poolerOutput()), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void textFeaturesMatch(Variant variant) {
        float[][] features = towers(variant).encodeText(ids(), mask());
        Golden.assertMaxError(variant + " text_embeds_unnormalized",
                expected(variant, "text_embeds_unnormalized").floats(), Golden.flatten(features), HIDDEN_TOLERANCE);
        Golden.assertMaxError(variant + " text_embeds", expected(variant, "text_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(features)), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void visionHiddenStatesMatchAtEveryLayerAndPosition(Variant variant) {
        VisionOutputs outputs = towers(variant).forwardVision(pixels());
        float[] golden = expected(variant, "vision_hidden_states").floats();
        int perLayer = NUM_IMAGES * 17 * 64;
        assertEquals(golden.length / perLayer, outputs.hiddenStates().size());
        for (int layer = 0; layer < outputs.hiddenStates().size(); layer++) {
            Golden.assertMaxError(variant + " vision_hidden_states[" + layer + "]",
                    Arrays.copyOfRange(golden, layer * perLayer, (layer + 1) * perLayer),
                    outputs.hiddenStates().get(layer), HIDDEN_TOLERANCE);
        }
        Golden.assertMaxError(variant + " vision_last_hidden_state",
                expected(variant, "vision_last_hidden_state").floats(), outputs.lastHiddenState(), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void visionPoolerOutputMatches(Variant variant) {
        VisionOutputs outputs = towers(variant).forwardVision(pixels());
        Golden.assertMaxError(variant + " vision_pooler_output", expected(variant, "vision_pooler_output").floats(),
                Golden.flatten(outputs.poolerOutput()), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void imageFeaturesMatch(Variant variant) {
        float[][] features = towers(variant).encodeImages(pixels());
        Golden.assertMaxError(variant + " image_embeds_unnormalized",
                expected(variant, "image_embeds_unnormalized").floats(), Golden.flatten(features), HIDDEN_TOLERANCE);
        Golden.assertMaxError(variant + " image_embeds", expected(variant, "image_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(features)), HIDDEN_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void logitsPerImageMatch(Variant variant) {
        ClipTowers towers = towers(variant);
        float[] logits = Golden.logitsPerImage(towers.encodeImages(pixels()), towers.encodeText(ids(), mask()),
                towers.logitScale());
        Golden.assertMaxError(variant + " logits_per_image", expected(variant, "logits_per_image").floats(), logits,
                LOGITS_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void logitScaleIsExponentiated(Variant variant) {
        Golden.assertMaxError(variant + " logit_scale_exp", expected(variant, "logit_scale_exp").floats(),
                new float[]{towers(variant).logitScale()}, 1e-5);
    }

    @Test
    void mixedDtypeCheckpointComputesEachTowerFromItsOwnDtype() {
        // Text tower (and logit scale) from the F32 file, vision tower from the BF16 file: each tower must then
        // match the golden of its own dtype.
        try (TensorSource f32 = Checkpoints.open(Variant.F32.weightsPath());
             TensorSource bf16 = Checkpoints.open(Variant.BF16.weightsPath())) {
            InMemoryTensors mixed = InMemoryTensors.copyOf(f32);
            bf16.names().stream().filter(name -> name.startsWith("vision_model.") || name.startsWith("visual_"))
                    .forEach(name -> mixed.put(bf16.tensor(name)));
            try (ClipTowers towers = ClipTowers.load(mixed, ClipConfig.load(fixture().resolve("config.json")),
                    backend)) {
                Golden.assertMaxError("mixed F32 text_embeds_unnormalized",
                        expected(Variant.F32, "text_embeds_unnormalized").floats(),
                        Golden.flatten(towers.encodeText(ids(), mask())), HIDDEN_TOLERANCE);
                Golden.assertMaxError("mixed BF16 image_embeds_unnormalized",
                        expected(Variant.BF16, "image_embeds_unnormalized").floats(),
                        Golden.flatten(towers.encodeImages(pixels())), HIDDEN_TOLERANCE);
            }
        }
    }

    @Test
    void poolsAtFirstEndOfTextTokenNotLastRealToken() {
        // Text 12 holds a literal <|endoftext|> at position 5; its last real token is at 7.
        int[][] ids = ids();
        TextOutputs all = towers(Variant.F32).forwardText(new int[][]{ids[12]}, new int[][]{mask()[12]}, true);
        float[] atPosition5 = Arrays.copyOfRange(all.lastHiddenState(), 5 * 48, 6 * 48);
        assertArrayEquals(atPosition5, all.poolerOutput()[0]);
    }

    @Test
    void computingOnlyUpToLastEosGivesTheSamePooledOutputs() {
        ClipTowers towers = towers(Variant.F32);
        TextOutputs truncated = towers.forwardText(ids(), mask(), false);
        TextOutputs full = towers.forwardText(ids(), mask(), true);
        Golden.assertMaxError("truncated vs all positions pooler", Golden.flatten(full.poolerOutput()),
                Golden.flatten(truncated.poolerOutput()), 1e-6);
        TextOutputs shortTexts = towers.forwardText(Arrays.copyOf(ids(), 3), Arrays.copyOf(mask(), 3), false);
        assertEquals(10, shortTexts.seqLen(), "texts 0-2 end at positions 6, 7 and 9");
    }
}
