package dev.aperture.models.image;

import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
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

    private final ImagePreprocessor tiny = ImagePreprocessor.load(TestData.clipTiny());
    private final ImagePreprocessor b32 = ImagePreprocessor.load(TestData.clipB32());

    @Test
    void decodedPngsEqualPillowConvertRgbByteForByte() throws IOException {
        for (int i = 0; i < Fixtures.JPEG_INDEX; i++) {
            RgbImage decoded = tiny.decodeRgb(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[i]));
            Npy golden = Npy.read(TestData.clipTiny().resolve("golden/decoded_rgb_" + i + ".npy"));
            assertEquals(golden.shape()[0], decoded.height(), Fixtures.IMAGE_FILES[i]);
            assertEquals(golden.shape()[1], decoded.width(), Fixtures.IMAGE_FILES[i]);
            assertArrayEquals(golden.uint8(), decoded.pixels(), Fixtures.IMAGE_FILES[i]);
        }
    }

    @Test
    void resizedPngsEqualPillowBicubicByteForByte() throws IOException {
        for (int i = 0; i < Fixtures.JPEG_INDEX; i++) {
            String name = Fixtures.IMAGE_FILES[i];
            RgbImage resized = tiny.resize(tiny.decodeRgb(TestData.clipTiny().resolve(name)), name);
            Npy golden = Npy.read(TestData.clipTiny().resolve("golden/resized_uint8_" + i + ".npy"));
            assertEquals(golden.shape()[0], resized.height(), name);
            assertEquals(golden.shape()[1], resized.width(), name);
            assertArrayEquals(golden.uint8(), resized.pixels(), name);
        }
    }

    @Test
    void resizingTheGoldenJpegDecodeGivesTheGoldenResize() throws IOException {
        // Separates the resize from the JPEG decoder: feed Pillow's own decode of the JPEG.
        Npy decoded = Npy.read(TestData.clipTiny().resolve("golden/decoded_rgb_5.npy"));
        RgbImage pillowDecode = new RgbImage(decoded.shape()[1], decoded.shape()[0], decoded.uint8());
        RgbImage resized = tiny.resize(pillowDecode, "decoded_rgb_5");
        Npy golden = Npy.read(TestData.clipTiny().resolve("golden/resized_uint8_5.npy"));
        assertArrayEquals(golden.uint8(), resized.pixels());
    }

    @Test
    void pngPixelValuesMatchTinyConfig() throws IOException {
        assertPngPixelValues(tiny, TestData.clipTiny(), TestData.clipTiny().resolve("golden/pixel_values.npy"));
    }

    @Test
    void pngPixelValuesMatchB32ConfigAt224() throws IOException {
        assertPngPixelValues(b32, TestData.clipB32(), TestData.clipB32().resolve("golden/pixel_values.npy"));
    }

    /**
     * JPEG decoders are not bit-exact across libraries in general (IDCT variant, chroma upsampling). Measured here:
     * ImageIO's bundled libjpeg and Pillow 9.4's libjpeg-turbo agree on every byte of this 4:4:4 quality-90 file.
     * Tolerance held: max |difference| <= 1 level, mean <= 0.01 level.
     */
    @Test
    void jpegDecodeIsWithinOneLevelOfPillow() throws IOException {
        RgbImage decoded = tiny.decodeRgb(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[Fixtures.JPEG_INDEX]));
        byte[] golden = Npy.read(TestData.clipTiny().resolve("golden/decoded_rgb_5.npy")).uint8();
        assertEquals(golden.length, decoded.pixels().length);
        int maxDifference = 0;
        long sumDifference = 0;
        for (int i = 0; i < golden.length; i++) {
            int difference = Math.abs((golden[i] & 0xFF) - (decoded.pixels()[i] & 0xFF));
            maxDifference = Math.max(maxDifference, difference);
            sumDifference += difference;
        }
        double meanDifference = (double) sumDifference / golden.length;
        System.out.printf("JPEG decode vs Pillow: max |difference| = %d, mean = %.4f%n", maxDifference, meanDifference);
        assertTrue(maxDifference <= 1, "max difference " + maxDifference);
        assertTrue(meanDifference <= 0.01, "mean difference " + meanDifference);
    }

    /**
     * The JPEG's pixel_values: one decode level is 1 / (255 * 0.2613) = 0.015 after normalization. Held (measured
     * 0, since the decode is identical): max |error| <= 0.016, mean <= 1e-3, for both configs.
     */
    @Test
    void jpegPixelValuesAreWithinOneDecodeLevel() throws IOException {
        for (Path dir : new Path[] {TestData.clipTiny(), TestData.clipB32()}) {
            ImagePreprocessor preprocessor = dir.equals(TestData.clipTiny()) ? tiny : b32;
            float[] expected = Npy.read(dir.resolve("golden/pixel_values.npy")).floats();
            float[] actual = preprocessor.preprocess(dir.resolve(Fixtures.IMAGE_FILES[Fixtures.JPEG_INDEX]));
            int offset = Fixtures.JPEG_INDEX * actual.length;
            double maxError = 0;
            double sumError = 0;
            for (int j = 0; j < actual.length; j++) {
                double error = Math.abs(actual[j] - expected[offset + j]);
                maxError = Math.max(maxError, error);
                sumError += error;
            }
            double meanError = sumError / actual.length;
            System.out.printf("%s JPEG pixel_values: max |error| = %.3g, mean = %.3g%n", dir, maxError, meanError);
            assertTrue(maxError <= 0.016, dir + ": max error " + maxError);
            assertTrue(meanError <= 1e-3, dir + ": mean error " + meanError);
        }
    }

    private static void assertPngPixelValues(ImagePreprocessor preprocessor, Path dir, Path goldenFile)
            throws IOException {
        Npy golden = Npy.read(goldenFile);
        int perImage = 3 * preprocessor.outputHeight() * preprocessor.outputWidth();
        assertEquals(perImage, golden.shape()[1] * golden.shape()[2] * golden.shape()[3]);
        float[] expected = golden.floats();
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
