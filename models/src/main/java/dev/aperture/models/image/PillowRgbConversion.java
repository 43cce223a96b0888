package dev.aperture.models.image;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded {@link BufferedImage} into 8-bit RGB the way Pillow 9.4's {@code Image.open(f).convert("RGB")}
 * does, so the bytes match what Hugging Face's processor sees.
 *
 * <p>Pillow's rules, and how each arrives here from ImageIO:
 * <ul>
 *   <li>RGB: copied. RGBA: alpha dropped (not composited onto a background).</li>
 *   <li>Gray ("L", "LA"): the gray value is replicated into R, G and B; alpha dropped.</li>
 *   <li>Palette ("P", and PNG gray of 1/2/4 bits, which ImageIO also reads as a palette of the ramp
 *       {@code i * 255 / (2^bits - 1)}, the same values Pillow's unpackers produce): looked up; a transparent
 *       index keeps its palette colour.</li>
 *   <li>16-bit RGB/RGBA and 16-bit gray+alpha: Pillow's PNG unpackers ("RGB;16B", "LA;16B") keep the high byte.</li>
 *   <li>16-bit gray without alpha: Pillow 9.4 opens it as mode "I" (32-bit int, values 0..65535), and
 *       {@code convert("RGB")} CLAMPS each value to 0..255 ({@code i2rgb} in libImaging/Convert.c), so every value
 *       above 255 becomes white. We reproduce this for parity with the Python pipeline, although scaling by
 *       1/257 would look more natural.</li>
 * </ul>
 * Samples are read from the raster, never through {@link ColorModel#getRGB}, because Java color-manages
 * (a gray image's linear-gray color space would be gamma-converted, an embedded ICC profile applied) whereas
 * Pillow ignores colour profiles. CMYK (a CMYK or YCCK JPEG) is converted with Pillow's formula
 * ({@link #convertCmyk}). Only images outside those layouts (premultiplied alpha, custom
 * color spaces, packed 5-6-5 pixels) fall back to {@link BufferedImage#getRGB}, which is not guaranteed to be
 * byte-identical to Pillow.
 */
final class PillowRgbConversion {

    /** The largest Java byte array the JVM reliably allocates. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private PillowRgbConversion() {
    }

    /** Converts {@code image} to RGB; {@code name} identifies it in errors. */
    static RgbImage toRgb(BufferedImage image, String name) {
        return toRgb(image, name, false);
    }

    /**
     * Converts {@code image} to RGB.
     *
     * @param fromSixteenBitGrayPng the source is a 16-bit gray PNG (IHDR colour type 0). ImageIO turns one with a
     *                              tRNS chunk into gray+alpha, but Pillow still opens it as mode "I" and clamps.
     */
    static RgbImage toRgb(BufferedImage image, String name, boolean fromSixteenBitGrayPng) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width < 1 || height < 1) {
            throw new FormatException(name + ": image has no pixels (" + width + "x" + height + ")");
        }
        long byteCount = (long) width * height * 3;
        if (byteCount > MAX_ARRAY_BYTES) {
            throw new ResourceLimitException(name + ": image " + width + "x" + height
                    + " is too large to hold as one RGB array (" + byteCount + " bytes)");
        }
        byte[] rgb = new byte[(int) byteCount];
        ColorModel colorModel = image.getColorModel();
        Raster raster = image.getRaster();
        if (colorModel instanceof IndexColorModel palette) {
            convertPalette(raster, palette, rgb);
        } else if (colorModel instanceof ComponentColorModel && !colorModel.isAlphaPremultiplied()
                && isGray(colorModel)) {
            convertGray(raster, colorModel, fromSixteenBitGrayPng, rgb);
        } else if (colorModel instanceof ComponentColorModel && !colorModel.isAlphaPremultiplied()
                && isRgb(colorModel)) {
            if (!copyInterleavedBytes(raster, rgb)) {
                convertRgbSamples(raster, colorModel, rgb);
            }
        } else if (isEightBitCmyk(colorModel, raster)) {
            convertCmyk(raster, rgb);
        } else {
            // TYPE_INT_RGB / TYPE_INT_ARGB (DirectColorModel, 8-bit sRGB fields) come out of getRGB unchanged;
            // anything rarer (premultiplied, 5-6-5) is converted to sRGB by Java, not byte-exact to Pillow.
            convertViaGetRgb(image, rgb);
        }
        return new RgbImage(width, height, rgb);
    }

    /** A 4-component CMYK image of 8-bit samples: what the JDK's JPEG reader makes of a CMYK or YCCK JPEG. */
    private static boolean isEightBitCmyk(ColorModel colorModel, Raster raster) {
        if (colorModel.getColorSpace().getType() != ColorSpace.TYPE_CMYK || colorModel.hasAlpha()
                || colorModel.getNumComponents() != 4 || raster.getNumBands() != 4) {
            return false;
        }
        for (int band = 0; band < 4; band++) {
            if (raster.getSampleModel().getSampleSize(band) != 8) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pillow's {@code cmyk2rgb} (libImaging/Convert.c): {@code R = max(0, 255 - C - K)}, likewise G from M and B
     * from Y, no colour management. Its inks come from the "CMYK;I" unpacker, which undoes the Adobe convention of
     * storing inverted inks (Pillow assumes it for every CMYK JPEG); the JDK's reader undoes the same inversion
     * (and, for YCCK, libjpeg's colour transform first), so its raster holds the same true inks.
     */
    private static void convertCmyk(Raster raster, byte[] rgb) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] row = new int[width * 4];
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int black = row[x * 4 + 3];
                for (int c = 0; c < 3; c++) {
                    rgb[(y * width + x) * 3 + c] = (byte) Math.max(0, 255 - row[x * 4 + c] - black);
                }
            }
        }
    }

    private static boolean isGray(ColorModel colorModel) {
        return colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && colorModel.getNumColorComponents() == 1;
    }

    private static boolean isRgb(ColorModel colorModel) {
        return colorModel.getColorSpace().getType() == ColorSpace.TYPE_RGB
                && colorModel.getNumColorComponents() == 3;
    }

    private static int componentBits(ColorModel colorModel, int component) {
        return colorModel.getComponentSize(component);
    }

    private static void convertPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
        int size = palette.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.getReds(reds);
        palette.getGreens(greens);
        palette.getBlues(blues);
        int width = raster.getWidth();
        int[] indices = new int[width];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, width, 1, 0, indices);
            int out = y * width * 3;
            for (int x = 0; x < width; x++) {
                // Indices past a PNG's PLTE are invalid per the PNG spec: ImageIO pads the map with the last
                // entry, Pillow would show its default ramp (i, i, i). Past the map itself (hand-built
                // images only) we read black.
                int index = indices[x];
                boolean inMap = index >= 0 && index < size;
                rgb[out++] = inMap ? reds[index] : 0;
                rgb[out++] = inMap ? greens[index] : 0;
                rgb[out++] = inMap ? blues[index] : 0;
            }
        }
    }

    private static void convertGray(Raster raster, ColorModel colorModel, boolean fromSixteenBitGrayPng,
            byte[] rgb) {
        int bits = componentBits(colorModel, 0);
        // Pillow: 16-bit gray alone opens as "I" and clamps; 16-bit gray+alpha opens via "LA;16B" (high byte).
        boolean clampLikeModeI = bits == 16 && (!colorModel.hasAlpha() || fromSixteenBitGrayPng);
        int width = raster.getWidth();
        int[] samples = new int[width];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, width, 1, 0, samples);
            int out = y * width * 3;
            for (int x = 0; x < width; x++) {
                int value = clampLikeModeI ? Math.min(samples[x], 255) : to8Bits(samples[x], bits);
                byte gray = (byte) value;
                rgb[out++] = gray;
                rgb[out++] = gray;
                rgb[out++] = gray;
            }
        }
    }

    private static void convertRgbSamples(Raster raster, ColorModel colorModel, byte[] rgb) {
        int width = raster.getWidth();
        int[] samples = new int[width];
        for (int channel = 0; channel < 3; channel++) {
            int bits = componentBits(colorModel, channel);
            for (int y = 0; y < raster.getHeight(); y++) {
                raster.getSamples(0, y, width, 1, channel, samples);
                int out = y * width * 3 + channel;
                for (int x = 0; x < width; x++, out += 3) {
                    rgb[out] = (byte) to8Bits(samples[x], bits);
                }
            }
        }
    }

    /**
     * Fast path for the common layout (JPEG's 3-byte BGR, PNG's 8-bit RGB/RGBA): one byte array, pixel-interleaved.
     * Returns false when the raster is laid out differently.
     */
    private static boolean copyInterleavedBytes(Raster raster, byte[] rgb) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel layout)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || raster.getSampleModel().getDataType() != DataBuffer.TYPE_BYTE
                || buffer.getNumBanks() != 1 || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0 || raster.getNumBands() < 3) {
            return false;
        }
        for (int band = 0; band < 3; band++) {
            if (layout.getSampleSize(band) != 8) {
                return false;
            }
        }
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        int pixelStride = layout.getPixelStride();
        int scanlineStride = layout.getScanlineStride();
        int[] bandOffsets = layout.getBandOffsets();
        int red = bandOffsets[0];
        int green = bandOffsets[1];
        int blue = bandOffsets[2];
        int width = raster.getWidth();
        for (int y = 0; y < raster.getHeight(); y++) {
            int in = base + y * scanlineStride;
            int out = y * width * 3;
            for (int x = 0; x < width; x++, in += pixelStride) {
                rgb[out++] = data[in + red];
                rgb[out++] = data[in + green];
                rgb[out++] = data[in + blue];
            }
        }
        return true;
    }

    private static void convertViaGetRgb(BufferedImage image, byte[] rgb) {
        int width = image.getWidth();
        int[] argb = new int[width];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, argb, 0, width);
            int out = y * width * 3;
            for (int x = 0; x < width; x++) {
                int pixel = argb[x];
                rgb[out++] = (byte) (pixel >> 16);
                rgb[out++] = (byte) (pixel >> 8);
                rgb[out++] = (byte) pixel;
            }
        }
    }

    /** Maps a sample of {@code bits} bits to 8 bits: high byte when wider, Pillow's exact ramp when narrower. */
    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        int max = (1 << bits) - 1;
        return sample * 255 / max;
    }
}
