package dev.aperture.models.image;

/**
 * An 8-bit RGB image, row-major and interleaved (height x width x 3, the layout of a numpy uint8 HWC array):
 * the byte of channel {@code c} at column {@code x}, row {@code y} is {@code pixels[(y * width + x) * 3 + c]}.
 * Internal to the preprocessing pipeline; the array is shared, not copied, so never modify one after creating it.
 */
record RgbImage(int width, int height, byte[] pixels) {

    RgbImage {
        if (width < 1 || height < 1 || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "RgbImage " + width + "x" + height + " needs " + ((long) width * height * 3) + " bytes, got "
                            + pixels.length);
        }
    }

    /** The value 0..255 of one channel at one pixel. */
    int sample(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }
}
