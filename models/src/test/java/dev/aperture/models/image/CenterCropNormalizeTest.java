package dev.aperture.models.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CenterCropNormalizeTest {

    /** No rescale, mean 0, std 1: the output is the raw byte values, which makes positions easy to check. */
    private static ImageProcessorConfig rawValues(int cropHeight, int cropWidth) {
        return new ImageProcessorConfig(true, 4, 0, 0, 3, true, cropHeight, cropWidth, false, 1.0, true,
                List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), true);
    }

    /** A width x height image whose red channel holds 10 * row + column + 1, green and blue 0. */
    private static RgbImage numbered(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[(y * width + x) * 3] = (byte) (10 * y + x + 1);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    @Test
    void cropStartsAtHalfTheExcessRoundedDown() {
        // 5 wide, crop 2: left = (5 - 2) // 2 = 1. 4 high, crop 1: top = (4 - 1) // 2 = 1.
        float[] out = new CenterCropNormalize(rawValues(1, 2)).apply(numbered(5, 4));
        assertArrayEquals(new float[] {12, 13, 0, 0, 0, 0}, out);
    }

    @Test
    void smallerImageIsCentredOnZeroPaddingLikeHf() {
        // 1 x 1 image into a 4 x 3 crop: HF pads at ((4 - 1) // 2, (3 - 1) // 2) = (1, 1).
        float[] out = new CenterCropNormalize(rawValues(4, 3)).apply(numbered(1, 1));
        float[] red = java.util.Arrays.copyOf(out, 12);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, red);
    }

    @Test
    void normalizationFollowsNumpyFloat32Order() {
        ImageProcessorConfig config = ImageProcessorConfig.defaults();
        float[] out = new CenterCropNormalize(new ImageProcessorConfig(true, 1, 0, 0, 3, true, 1, 1, true,
                config.rescaleFactor(), true, config.imageMean(), config.imageStd(), true))
                .apply(new RgbImage(1, 1, new byte[] {(byte) 200, 0, (byte) 255}));
        // numpy: (np.float32(200 * (1/255)) - np.float32(mean)) / np.float32(std), all in float32.
        float red = ((float) (200 * (1.0 / 255.0)) - (float) 0.48145466) / (float) 0.26862954;
        float blue = ((float) (255 * (1.0 / 255.0)) - (float) 0.40821073) / (float) 0.27577711;
        assertEquals(red, out[0]);
        assertEquals(blue, out[2]);
    }
}
