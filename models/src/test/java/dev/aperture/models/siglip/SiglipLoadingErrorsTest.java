package dev.aperture.models.siglip;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.FormatException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.InMemoryTensors;
import dev.aperture.models.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SigLIP checkpoint or config that cannot be the model fails with a message naming the tensor or field. */
class SiglipLoadingErrorsTest {
    private static final Path TINY = TestData.dir().resolve("siglip-tiny");

    private static ModelMismatchException loadFailure(InMemoryTensors weights) {
        SiglipConfig config = SiglipConfig.load(TINY.resolve("config.json"));
        try (CpuBackend backend = new CpuBackend(1)) {
            return assertThrows(ModelMismatchException.class, () -> SiglipTowers.load(weights, config, backend));
        }
    }

    private static InMemoryTensors fixtureWeights(TensorSource file) {
        return InMemoryTensors.copyOf(file);
    }

    @Test
    void aCheckpointWithoutTheProbeIsRefusedNamingIt() {
        try (TensorSource file = Checkpoints.open(TINY.resolve("model.safetensors"))) {
            ModelMismatchException e = loadFailure(fixtureWeights(file).remove("vision_model.head.probe"));
            assertTrue(e.getMessage().contains("vision_model.head.probe"), e.getMessage());
        }
    }

    @Test
    void aMisShapedInProjectionIsRefusedWithBothShapes() {
        try (TensorSource file = Checkpoints.open(TINY.resolve("model.safetensors"))) {
            InMemoryTensors weights = fixtureWeights(file)
                    .put("vision_model.head.attention.in_proj_weight", new float[64 * 32], 64, 32);
            ModelMismatchException e = loadFailure(weights);
            assertTrue(e.getMessage().contains("in_proj_weight") && e.getMessage().contains("[64, 32]")
                    && e.getMessage().contains("[96, 32]"), e.getMessage());
        }
    }

    @Test
    void aClipCheckpointUnderASiglipConfigNamesWhatIsMissing() {
        try (TensorSource clip = Checkpoints.open(TestData.clipTiny().resolve("model.safetensors"))) {
            ModelMismatchException e = loadFailure(fixtureWeights(clip));
            assertTrue(e.getMessage().contains("logit_bias"), e.getMessage());
        }
    }

    @Test
    void projectionSizeMustBeTheImageEmbeddingWidth() {
        FormatException e = assertThrows(FormatException.class, () -> SiglipConfig.parse(
                "{\"model_type\": \"siglip\", \"text_config\": {\"projection_size\": 512}}", "test"));
        assertTrue(e.getMessage().contains("projection_size 512") && e.getMessage().contains("768"), e.getMessage());
    }

    @Test
    void aVisionTowerWithoutItsPoolingHeadIsRefused() {
        FormatException e = assertThrows(FormatException.class, () -> SiglipConfig.parse(
                "{\"model_type\": \"siglip\", \"vision_config\": {\"vision_use_head\": false}}", "test"));
        assertTrue(e.getMessage().contains("vision_use_head"), e.getMessage());
    }

    @Test
    void anotherModelTypeIsRefused() {
        FormatException e = assertThrows(FormatException.class, () -> SiglipConfig.parse(
                "{\"model_type\": \"clip\"}", "config.json"));
        assertTrue(e.getMessage().contains("\"clip\""), e.getMessage());
    }
}
