package dev.aperture.models.image;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares every step with the goldens HF transformers 4.39 + Pillow 9.4 produced (testdata/clip-tiny/README.txt):
 * decoded RGB and resized uint8 must match byte for byte for PNG inputs, pixel_values to 1e-6.
 */
class ClipPreprocessingGoldenTest {

    /** float32 normalization is reproduced operation by operation, so only the last bit may differ (it does not). */
    private static final double PNG_PIXEL_TOLERANCE = 1e-6;

    private final ImagePreprocessor tiny = ImagePreprocessor.load(Fixtures.clipTiny());
    private final ImagePreprocessor b32 = ImagePreprocessor.load(Fixtures.clipB32());

    @Test
    void decodedPngsEqualPillowConvertRgbByteForByte() throws IOException {
        for (int i = 0; i < Fixtures.JPEG_INDEX; i++) {
            RgbImage decoded = tiny.decodeRgb(Fixtures.clipTiny().resolve(Fixtures.IMAGE_FILES[i]));
            Npy golden = Npy.read(Fixtures.clipTiny().resolve("golden/decoded_rgb_" + i + ".npy"));
            assertEquals(golden.shape()[0], decoded.height(), Fixtures.IMAGE_FILES[i]);
            assertEquals(golden.shape()[1], decoded.width(), Fixtures.IMAGE_FILES[i]);
            assertArrayEquals(golden.toUint8(), decoded.pixels(), Fixtures.IMAGE_FILES[i]);
        }
    }

    @Test
    void resizedPngsEqualPillowBicubicByteForByte() throws IOException {
        for (int i = 0; i < Fixtures.JPEG_INDEX; i++) {
            String name = Fixtures.IMAGE_FILES[i];
            RgbImage resized = tiny.resize(tiny.decodeRgb(Fixtures.clipTiny().resolve(name)), name);
            Npy golden = Npy.read(Fixtures.clipTiny().resolve("golden/resized_uint8_" + i + ".npy"));
            assertEquals(golden.shape()[0], resized.height(), name);
            assertEquals(golden.shape()[1], resized.width(), name);
            assertArrayEquals(golden.toUint8(), resized.pixels(), name);
        }
    }

    @Test
    void resizingTheGoldenJpegDecodeGivesTheGoldenResize() throws IOException {
        // Separates the resize from the JPEG decoder: feed Pillow's own decode of the JPEG.
        Npy decoded = Npy.read(Fixtures.clipTiny().resolve("golden/decoded_rgb_5.npy"));
        RgbImage pillowDecode = new RgbImage(decoded.shape()[1], decoded.shape()[0], decoded.toUint8());
        RgbImage resized = tiny.resize(pillowDecode, "decoded_rgb_5");
        Npy golden = Npy.read(Fixtures.clipTiny().resolve("golden/resized_uint8_5.npy"));
        assertArrayEquals(golden.toUint8(), resized.pixels());
    }

    @Test
    void pngPixelValuesMatchTinyConfig() throws IOException {
        assertPngPixelValues(tiny, Fixtures.clipTiny(), Fixtures.clipTiny().resolve("golden/pixel_values.npy"));
    }

    @Test
    void pngPixelValuesMatchB32ConfigAt224() throws IOException {
        assertPngPixelValues(b32, Fixtures.clipB32(), Fixtures.clipB32().resolve("golden/pixel_values.npy"));
    }

    private static void assertPngPixelValues(ImagePreprocessor preprocessor, Path dir, Path goldenFile)
            throws IOException {
        Npy golden = Npy.read(goldenFile);
        int perImage = 3 * preprocessor.outputHeight() * preprocessor.outputWidth();
        assertEquals(perImage, golden.shape()[1] * golden.shape()[2] * golden.shape()[3]);
        float[] expected = golden.toFloat32();
        for (int i = 0; i < Fixtures.JPEG_INDEX; i++) {
            float[] actual = preprocessor.preprocess(dir.resolve(Fixtures.IMAGE_FILES[i]));
            assertEquals(perImage, actual.length);
            double maxError = 0;
            for (int j = 0; j < perImage; j++) {
                maxError = Math.max(maxError, Math.abs(actual[j] - expected[i * perImage + j]));
            }
            System.out.printf("%s %s: max |error| = %.3g%n", goldenFile, Fixtures.IMAGE_FILES[i], maxError);
            assertTrue(maxError <= PNG_PIXEL_TOLERANCE, Fixtures.IMAGE_FILES[i] + ": max error " + maxError);
        }
    }
}
