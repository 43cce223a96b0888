package dev.aperture.models.clip.synthetic;

import dev.aperture.core.InputException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipConfig;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.synthetic.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named synthetic architectures, written as files or built in memory (ViT-B/32's weights: ClipB32SyntheticTest). */
class SyntheticClipTest {
    private static final ModelOptions ONE_THREAD = ModelOptions.defaults().withThreads(1);

    @Test
    void vitB16IsVitB32WithSixteenPixelPatches() {
        ClipConfig b32 = SyntheticClip.config(SyntheticClip.VIT_B_32);
        ClipConfig b16 = SyntheticClip.config(SyntheticClip.VIT_B_16);
        assertEquals(16, b16.vision().patchSize());
        assertEquals(197, b16.vision().numPositions());
        assertEquals(b32.text(), b16.text());
        assertEquals(b32.vision().hiddenSize(), b16.vision().hiddenSize());
    }

    @Test
    void rejectsUnknownArchitectureNamingTheKnownOnes() {
        InputException error = assertThrows(InputException.class, () -> SyntheticClip.config("vit-h-14"));
        assertTrue(error.getMessage().contains("vit-h-14") && error.getMessage().contains("vit-b-32"),
                error.getMessage());
    }

    @Test
    void writtenF32FileHoldsExactlyTheGeneratedTensors(@TempDir Path folder) {
        SyntheticClip.writeModelFolder(folder, SyntheticClip.TINY, DType.F32);
        ClipConfig config = SyntheticClip.config(SyntheticClip.TINY);
        try (TensorSource written = SafeTensors.open(folder.resolve("model.safetensors"));
             TensorSource generated = SyntheticClip.tensors(config)) {
            assertEquals(new java.util.TreeSet<>(generated.names()), new java.util.TreeSet<>(written.names()));
            for (String name : generated.names()) {
                assertEquals(DType.F32, written.tensor(name).dtype(), name);
                assertArrayEquals(generated.tensor(name).shape(), written.tensor(name).shape(), name);
                assertArrayEquals(generated.tensor(name).toFloatArray(), written.tensor(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void writtenF16FileStoresHalfPrecision(@TempDir Path folder) {
        SyntheticClip.writeModelFolder(folder, SyntheticClip.TINY, DType.F16);
        try (TensorSource written = SafeTensors.open(folder.resolve("model.safetensors"))) {
            String name = "vision_model.encoder.layers.0.mlp.fc1.weight";
            assertEquals(DType.F16, written.tensor(name).dtype());
            float[] exact = SyntheticWeights.generate(name, 64 * 32);
            float[] half = written.tensor(name).toFloatArray();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], half[i], Math.abs(exact[i]) * 1e-3 + 1e-7, name + " element " + i);
            }
        }
    }

    @Test
    void modelBuiltInMemoryEmbedsLikeTheWrittenFolder(@TempDir Path folder) {
        SyntheticClip.writeModelFolder(folder, SyntheticClip.TINY, DType.F32);
        List<String> texts = List.of("a photo of a cat", "a diagram");
        float[][] pixels = {new float[3 * 32 * 32]};
        pixels[0][7] = 0.5f;
        try (ClipModel inMemory = SyntheticClip.model(SyntheticClip.TINY, ONE_THREAD);
             ClipModel fromFolder = ClipModel.load(folder, ONE_THREAD)) {
            assertNull(inMemory.directory());
            assertEquals(16, inMemory.embedText("a photo of a cat").length);
            float[][] expected = fromFolder.embedTexts(texts);
            float[][] actual = inMemory.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected[i], actual[i], texts.get(i));
            }
            assertArrayEquals(fromFolder.towers().encodeImages(pixels)[0], inMemory.towers().encodeImages(pixels)[0]);
        }
    }
}
