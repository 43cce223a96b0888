package dev.aperture.models.clip;

import dev.aperture.models.Golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.backend.gpu.OpenClBackend;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.Npy;
import dev.aperture.models.OpenClRequirement;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The towers at real ViT-B/32 dimensions (151M parameters), against testdata/clip-b32-synthetic (README.txt): the
 * weights are regenerated from the fixture's generator (checked against weights_manifest.json by
 * ClipB32SyntheticWeightsTest), and the outputs compared with Hugging Face's. Runs on 2 threads with all texts and
 * all 6 images in one batch each, and on 1 thread with the images one at a time. Tolerances: 1e-4 max abs error on
 * features, pooled outputs and hidden-state taps; 1e-3 on logits.
 */
@Tag("slow")
class ClipB32SyntheticTest {
    private static final double TOLERANCE = 1e-4;
    private static final double LOGITS_TOLERANCE = 1e-3;
    private static JsonNode goldenTexts;
    private static TensorSource weights;
    private static ClipConfig config;
    private static CpuBackend twoThreads;
    private static ClipTowers towersOnTwoThreads;
    private static TextOutputs textOnTwoThreads;
    private static VisionOutputs visionOnTwoThreads;

    private static Path fixture() {
        return TestData.clipB32();
    }

    private static Npy golden(String name) {
        return Npy.read(fixture().resolve("golden").resolve(name + ".npy"));
    }

    @BeforeAll
    static void regenerateWeights() throws IOException {
        ObjectMapper json = new ObjectMapper();
        goldenTexts = json.readTree(fixture().resolve("golden/golden.json").toFile()).get("texts");
        config = ClipConfig.load(fixture().resolve("config.json"));
        weights = SyntheticClip.tensors(config);
    }

    @AfterAll
    static void release() {
        if (towersOnTwoThreads != null) {
            towersOnTwoThreads.close();
        }
        if (twoThreads != null) {
            twoThreads.close();
        }
        weights = null;
    }

    private static synchronized ClipTowers towersOnTwoThreads() {
        if (towersOnTwoThreads == null) {
            twoThreads = new CpuBackend(2);
            towersOnTwoThreads = ClipTowers.load(weights, config, twoThreads);
        }
        return towersOnTwoThreads;
    }

    private static synchronized TextOutputs textOnTwoThreads() {
        if (textOnTwoThreads == null) {
            textOnTwoThreads = towersOnTwoThreads().forwardText(golden("input_ids").intRows(),
                    golden("attention_mask").intRows(), false);
        }
        return textOnTwoThreads;
    }

    private static synchronized VisionOutputs visionOnTwoThreads() {
        if (visionOnTwoThreads == null) {
            visionOnTwoThreads = towersOnTwoThreads().forwardVision(golden("pixel_values").floatRows());
        }
        return visionOnTwoThreads;
    }

    @Test
    void textTowerMatchesGoldenWithAllTextsInOneBatchOnTwoThreads() {
        assertTextMatches("2 threads", textOnTwoThreads());
    }

    @Test
    void visionTowerMatchesGoldenWithAllImagesInOneBatchOnTwoThreads() {
        assertVisionMatches("2 threads, 6 images at once", visionOnTwoThreads());
    }

    @Test
    void logitsMatchGolden() {
        float[] logits = Golden.logitsPerImage(visionOnTwoThreads().imageEmbeds(), textOnTwoThreads().textEmbeds(),
                towersOnTwoThreads().logitScale());
        Golden.assertMaxError("b32 logits_per_image", golden("logits_per_image").floats(), logits, LOGITS_TOLERANCE);
        Golden.assertMaxError("b32 logit_scale_exp", golden("logit_scale_exp").floats(),
                new float[]{towersOnTwoThreads().logitScale()}, 1e-4);
    }

    @Test
    void bothTowersMatchGoldenOnOneThreadWithImagesOneAtATime() {
        try (CpuBackend oneThread = new CpuBackend(1);
             ClipTowers towers = ClipTowers.load(weights, config, oneThread)) {
            assertTextMatches("1 thread", towers.forwardText(golden("input_ids").intRows(),
                    golden("attention_mask").intRows(), false));
            float[][] pixels = golden("pixel_values").floatRows();
            float[][] imageEmbeds = new float[pixels.length][];
            float[][] pooled = new float[pixels.length][];
            for (int image = 0; image < pixels.length; image++) {
                VisionOutputs outputs = towers.forwardVision(new float[][]{pixels[image]});
                imageEmbeds[image] = outputs.imageEmbeds()[0];
                pooled[image] = outputs.poolerOutput()[0];
            }
            Golden.assertMaxError("b32 1 thread, 1 image at a time: image_embeds_unnormalized",
                    golden("image_embeds_unnormalized").floats(), Golden.flatten(imageEmbeds), TOLERANCE);
            Golden.assertMaxError("b32 1 thread, 1 image at a time: vision_pooler_output",
                    golden("vision_pooler_output").floats(), Golden.flatten(pooled), TOLERANCE);
        }
    }

    @Test
    void batchesOf7And32ImagesAnd32TextsMatchGolden() {
        // Batches that are not multiples of the GEMM's row tile: the six golden images (and 13 texts) repeated.
        float[][] pixels = golden("pixel_values").floatRows();
        float[][] expectedImages = golden("image_embeds_unnormalized").floatRows();
        for (int batch : new int[]{7, 32}) {
            float[][] inputs = new float[batch][];
            float[][] expected = new float[batch][];
            for (int i = 0; i < batch; i++) {
                inputs[i] = pixels[i % pixels.length];
                expected[i] = expectedImages[i % pixels.length];
            }
            Golden.assertMaxError("b32 batch " + batch + " image_embeds_unnormalized", Golden.flatten(expected),
                    Golden.flatten(towersOnTwoThreads().encodeImages(inputs)), TOLERANCE);
        }
        int[][] ids = golden("input_ids").intRows();
        int[][] mask = golden("attention_mask").intRows();
        float[][] expectedTexts = golden("text_embeds_unnormalized").floatRows();
        int[][] batchIds = new int[32][];
        int[][] batchMask = new int[32][];
        float[][] expected = new float[32][];
        for (int i = 0; i < 32; i++) {
            batchIds[i] = ids[i % ids.length];
            batchMask[i] = mask[i % ids.length];
            expected[i] = expectedTexts[i % ids.length];
        }
        Golden.assertMaxError("b32 batch 32 text_embeds_unnormalized", Golden.flatten(expected),
                Golden.flatten(towersOnTwoThreads().encodeText(batchIds, batchMask)), TOLERANCE);
    }

    @Test
    void bothTowersMatchGoldenOnTheOpenClBackend() {
        OpenClRequirement.assumeAvailable();
        try (OpenClBackend openCl = new OpenClBackend();
             ClipTowers towers = ClipTowers.load(weights, config, openCl)) {
            TextOutputs text = towers.forwardText(golden("input_ids").intRows(), golden("attention_mask").intRows(), false);
            VisionOutputs vision = towers.forwardVision(golden("pixel_values").floatRows());
            assertTextMatches("opencl", text);
            assertVisionMatches("opencl, 6 images at once", vision);
            Golden.assertMaxError("b32 opencl logits_per_image", golden("logits_per_image").floats(),
                    Golden.logitsPerImage(vision.imageEmbeds(), text.textEmbeds(), towers.logitScale()), LOGITS_TOLERANCE);
        }
    }

    private static void assertTextMatches(String run, TextOutputs outputs) {
        assertTrue(outputs.seqLen() >= 77, "text 10 pools at position 76, so all positions are computed");
        Golden.assertMaxError("b32 " + run + ": text_embeds_unnormalized", golden("text_embeds_unnormalized").floats(),
                Golden.flatten(outputs.textEmbeds()), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": text_embeds", golden("text_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(outputs.textEmbeds())), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": text_pooler_output", golden("text_pooler_output").floats(),
                Golden.flatten(outputs.poolerOutput()), TOLERANCE);
        int texts = outputs.batch();
        int[] zero = new int[texts];
        int[] eos = new int[texts];
        int[] lastReal = new int[texts];
        for (int t = 0; t < texts; t++) {
            eos[t] = goldenTexts.get(t).get("eos_pool_index").asInt();
            lastReal[t] = goldenTexts.get(t).get("last_real_token_index").asInt();
        }
        Golden.assertMaxError("b32 " + run + ": text_last_hidden_state_pos0_first8",
                golden("text_last_hidden_state_pos0_first8").floats(), first8(outputs, zero), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": text_last_hidden_state_eos_first8",
                golden("text_last_hidden_state_eos_first8").floats(), first8(outputs, eos), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": text_last_hidden_state_lastreal_first8",
                golden("text_last_hidden_state_lastreal_first8").floats(), first8(outputs, lastReal), TOLERANCE);
    }

    private static void assertVisionMatches(String run, VisionOutputs outputs) {
        Golden.assertMaxError("b32 " + run + ": image_embeds_unnormalized",
                golden("image_embeds_unnormalized").floats(), Golden.flatten(outputs.imageEmbeds()), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": image_embeds", golden("image_embeds").floats(),
                Golden.flatten(Golden.normalizedRows(outputs.imageEmbeds())), TOLERANCE);
        Golden.assertMaxError("b32 " + run + ": vision_pooler_output", golden("vision_pooler_output").floats(),
                Golden.flatten(outputs.poolerOutput()), TOLERANCE);
        int images = outputs.batch();
        int last = outputs.numPositions() - 1;
        Golden.assertMaxError("b32 " + run + ": vision_last_hidden_state_tok0_first8",
                golden("vision_last_hidden_state_tok0_first8").floats(), first8(outputs, new int[images]), TOLERANCE);
        int[] token49 = new int[images];
        java.util.Arrays.fill(token49, 49);
        Golden.assertMaxError("b32 " + run + ": vision_last_hidden_state_tok49_first8",
                golden("vision_last_hidden_state_tok49_first8").floats(), first8(outputs, token49), TOLERANCE);
        int[] lastToken = new int[images];
        java.util.Arrays.fill(lastToken, last);
        Golden.assertMaxError("b32 " + run + ": vision_last_hidden_state_toklast_first8",
                golden("vision_last_hidden_state_toklast_first8").floats(), first8(outputs, lastToken), TOLERANCE);
    }

    /** The first 8 values of each text's last hidden state at {@code positions[text]}. */
    private static float[] first8(TextOutputs outputs, int[] positions) {
        return first8(outputs.lastHiddenState(), outputs.seqLen(), outputs.hiddenSize(), positions);
    }

    private static float[] first8(VisionOutputs outputs, int[] positions) {
        return first8(outputs.lastHiddenState(), outputs.numPositions(), outputs.hiddenSize(), positions);
    }

    private static float[] first8(float[] hidden, int seqLen, int hiddenSize, int[] positions) {
        float[] out = new float[positions.length * 8];
        for (int b = 0; b < positions.length; b++) {
            System.arraycopy(hidden, (b * seqLen + positions[b]) * hiddenSize, out, b * 8, 8);
        }
        return out;
    }
}
