package dev.aperture.models.siglip.synthetic;

import dev.aperture.core.InputException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.siglip.SiglipConfig;
import dev.aperture.models.siglip.SiglipModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named synthetic SigLIP architectures, against the real checkpoints' configs and the fixture's tensor layout. */
class SyntheticSiglipTest {
    private static final ModelOptions ONE_THREAD = ModelOptions.defaults().withThreads(1);

    private static Path fixture() {
        return TestData.dir().resolve("siglip-tiny");
    }

    @Test
    void baseIsTheConfigOfSiglipBasePatch16At224() {
        SiglipConfig base = SyntheticSiglip.config(SyntheticSiglip.SIGLIP_BASE_16_224);
        assertEquals(new SiglipConfig(SiglipConfig.TextConfig.defaults(), SiglipConfig.VisionConfig.defaults()), base);
        assertEquals(196, base.vision().numPatches());
        assertEquals(64, base.text().maxPositionEmbeddings());
    }

    @Test
    void tinyIsTheConfigOfTheFixture() {
        assertEquals(SiglipConfig.load(fixture().resolve("config.json")), SyntheticSiglip.config(SyntheticSiglip.TINY));
    }

    /** Names and shapes as transformers' SiglipModel saves them: the fixture's checkpoint has the same config. */
    @Test
    void tinyTensorsHaveTheFixtureCheckpointsNamesAndShapes() {
        try (TensorSource fixtureWeights = SafeTensors.open(fixture().resolve("model.safetensors"));
             TensorSource generated = SyntheticSiglip.tensors(SyntheticSiglip.config(SyntheticSiglip.TINY))) {
            assertEquals(new TreeSet<>(fixtureWeights.names()), new TreeSet<>(generated.names()));
            for (String name : fixtureWeights.names()) {
                assertArrayEquals(fixtureWeights.tensor(name).shape(), generated.tensor(name).shape(), name);
            }
        }
    }

    @Test
    void baseHasSiglipBasesParameterCount() {
        long parameters = 0;
        try (TensorSource generated = SyntheticSiglip.tensors(
                SyntheticSiglip.config(SyntheticSiglip.SIGLIP_BASE_16_224))) {
            for (String name : generated.names()) {
                long count = 1;
                for (long dim : generated.tensor(name).shape()) {
                    count *= dim;
                }
                parameters += count;
            }
        }
        // Text: embeddings 24,625,152 + 12 layers of 7,087,872 + final norm and head 592,128 = 110,271,744.
        // Vision: patches and positions 741,120 + 12 layers + post norm 1,536 + pooling head 7,087,104 = 92,884,224.
        assertEquals(110_271_744L + 92_884_224L + 2, parameters);
    }

    @Test
    void rejectsUnknownArchitectureNamingTheKnownOnes() {
        InputException error = assertThrows(InputException.class, () -> SyntheticSiglip.config("siglip-so400m"));
        assertTrue(error.getMessage().contains("siglip-so400m")
                && error.getMessage().contains(SyntheticSiglip.SIGLIP_BASE_16_224), error.getMessage());
    }

    @Test
    void modelBuiltInMemoryEmbedsLikeTheWrittenFolder(@TempDir Path folder) {
        SyntheticSiglip.writeModelFolder(folder, SyntheticSiglip.TINY, DType.F32);
        List<String> texts = List.of("a photo of a cat", "two dogs");
        try (SiglipModel inMemory = SyntheticSiglip.model(SyntheticSiglip.TINY, ONE_THREAD);
             SiglipModel loaded = SiglipModel.load(folder, ONE_THREAD)) {
            assertNull(inMemory.directory());
            assertEquals(16, inMemory.tokenizer().maxLength());   // model_max_length 64, capped by the 16 positions
            assertEquals(32, inMemory.preprocessor().outputHeight());
            float[][] expected = loaded.embedTexts(texts);
            float[][] actual = inMemory.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected[i], actual[i], texts.get(i));
            }
            float[][] pixels = {new float[inMemory.config().vision().pixelCount()]};
            assertArrayEquals(loaded.towers().encodeImages(pixels)[0], inMemory.towers().encodeImages(pixels)[0]);
            assertEquals(-10.0f, inMemory.logitBias());
        }
    }

    /** The 203M-parameter base model in memory: its tokenizer pads to the real 64 positions. */
    @Tag("slow")
    @Test
    void baseModelPadsTextsToSixtyFourTokens() {
        try (SiglipModel base = SyntheticSiglip.model(SyntheticSiglip.SIGLIP_BASE_16_224,
                ModelOptions.defaults().withThreads(2))) {
            assertEquals(64, base.tokenizer().maxLength());
            assertEquals(224, base.preprocessor().outputWidth());
            float[][] embedding = base.embedTexts(List.of("a photo of a cat"));
            assertEquals(768, embedding[0].length);
        }
    }
}
