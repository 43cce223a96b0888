package dev.aperture.models.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PillowBicubicResizeTest {

    @Test
    void sameSizeReturnsTheImageUnchanged() {
        RgbImage image = new RgbImage(2, 2, new byte[12]);
        assertSame(image, PillowBicubicResize.resize(image, 2, 2));
    }

    @Test
    void uniformImageStaysUniformWhenShrinkingAndGrowing() {
        byte[] pixels = new byte[17 * 11 * 3];
        java.util.Arrays.fill(pixels, (byte) 77);
        RgbImage image = new RgbImage(17, 11, pixels);
        for (int[] size : new int[][] {{5, 3}, {40, 29}, {17, 4}, {3, 11}}) {
            RgbImage resized = PillowBicubicResize.resize(image, size[0], size[1]);
            byte[] expected = new byte[size[0] * size[1] * 3];
            java.util.Arrays.fill(expected, (byte) 77);
            assertArrayEquals(expected, resized.pixels(), size[0] + "x" + size[1]);
        }
    }

    @Test
    void bicubicKernelIsPillowsWithAMinusOneHalf() {
        assertEquals(1.0, PillowBicubicResize.bicubic(0.0));
        assertEquals(0.5625, PillowBicubicResize.bicubic(0.5));
        assertEquals(-0.0625, PillowBicubicResize.bicubic(-1.5));
        assertEquals(0.0, PillowBicubicResize.bicubic(2.0));
    }

    @Test
    void shortestEdgeSizeTruncatesTheLongSideLikeHf() {
        assertArrayEquals(new int[] {32, 42}, ImagePreprocessor.shortestEdgeSize(60, 80, 32));   // 42.67
        assertArrayEquals(new int[] {44, 32}, ImagePreprocessor.shortestEdgeSize(56, 40, 32));   // 44.8
        assertArrayEquals(new int[] {224, 298}, ImagePreprocessor.shortestEdgeSize(3000, 4000, 224));
        assertArrayEquals(new int[] {32, 32}, ImagePreprocessor.shortestEdgeSize(48, 48, 32));
    }
}
