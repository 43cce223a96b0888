package dev.aperture.models.image;

import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SiglipImageProcessor against the SigLIP fixtures' goldens (transformers 5.18 + Pillow): every image resized to
 * exactly 32 x 32 whatever its aspect (no crop), rescaled, normalized with mean = std = 0.5. PNG pixel values must
 * be exactly equal; the JPEG within one decode level (1 / (255 · 0.5) ≈ 0.008).
 */
class SiglipPreprocessingGoldenTest {
    private static final List<String> IMAGES = List.of("alpha_48x48_rgba.png", "gradient_64x64_rgb.png",
            "noise_64x40_rgb.png", "radial_40x56_gray.png", "shapes_80x60_rgb.png", "shapes_80x60_rgb_q90.jpg");

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void readsSiglipProcessorWithoutCenterCrop(String fixture) {
        ImageProcessorConfig config = ImagePreprocessor.load(TestData.dir().resolve(fixture)).config();
        assertFalse(config.doCenterCrop());
        assertEquals(32, config.resizeHeight());
        assertEquals(32, config.resizeWidth());
        assertEquals(List.of(0.5, 0.5, 0.5), config.imageMean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip-tiny-spm-bpe", "siglip2-tiny"})
    void pngPixelValuesEqualTheGoldenExactly(String fixture) {
        Path dir = TestData.dir().resolve(fixture);
        ImagePreprocessor preprocessor = ImagePreprocessor.load(dir);
        float[] golden = Npy.read(dir.resolve("golden/pixel_values.npy")).floats();
        int perImage = 3 * 32 * 32;
        for (int i = 0; i < IMAGES.size(); i++) {
            if (IMAGES.get(i).endsWith(".png")) {
                assertArrayEquals(Arrays.copyOfRange(golden, i * perImage, (i + 1) * perImage),
                        preprocessor.preprocess(dir.resolve("images").resolve(IMAGES.get(i))), IMAGES.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny"})
    void jpegPixelValuesAreWithinOneDecodeLevel(String fixture) {
        Path dir = TestData.dir().resolve(fixture);
        int index = IMAGES.indexOf("shapes_80x60_rgb_q90.jpg");
        float[] golden = Npy.read(dir.resolve("golden/pixel_values.npy")).floats();
        float[] actual = ImagePreprocessor.load(dir).preprocess(dir.resolve("images").resolve(IMAGES.get(index)));
        double maxError = 0;
        for (int j = 0; j < actual.length; j++) {
            maxError = Math.max(maxError, Math.abs(actual[j] - golden[index * actual.length + j]));
        }
        System.out.printf("SigLIP JPEG pixel_values: max |error| = %.3g%n", maxError);
        assertTrue(maxError <= 1 / (255 * 0.5) + 1e-6, "max error " + maxError);
    }
}
