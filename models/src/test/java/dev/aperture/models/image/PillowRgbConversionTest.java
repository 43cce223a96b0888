package dev.aperture.models.image;

import dev.aperture.models.TestData;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pillow {@code convert("RGB")} semantics for the image kinds the fixtures do not cover. */
class PillowRgbConversionTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tempDir;

    @Test
    void palettePngIsLookedUpAndTransparentIndexKeepsItsColour() throws IOException {
        byte[] reds = {10, (byte) 200, 0, 7};
        byte[] greens = {20, 0, (byte) 255, 8};
        byte[] blues = {30, 50, 0, 9};
        IndexColorModel palette = new IndexColorModel(8, 4, reds, greens, blues, 3); // index 3 transparent
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = 0; x < 4; x++) {
            image.getRaster().setSample(x, 0, 0, x);
            image.getRaster().setSample(x, 1, 0, 3 - x);
        }
        RgbImage rgb = decoder.decode(encode(image, "png"), "palette.png");
        for (int x = 0; x < 4; x++) {
            assertPixel(rgb, x, 0, reds[x], greens[x], blues[x]);
            assertPixel(rgb, x, 1, reds[3 - x], greens[3 - x], blues[3 - x]);
        }
    }

    @Test
    void sixteenBitGrayPngClampsLikePillowModeI() throws IOException {
        // Pillow 9.4 opens 16-bit gray PNG as mode "I"; convert("RGB") clamps values to 0..255.
        int[] values = {0, 100, 255, 256, 40000, 65535};
        BufferedImage image = new BufferedImage(values.length, 1, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < values.length; x++) {
            image.getRaster().setSample(x, 0, 0, values[x]);
        }
        RgbImage rgb = decoder.decode(encode(image, "png"), "gray16.png");
        int[] expected = {0, 100, 255, 255, 255, 255};
        for (int x = 0; x < values.length; x++) {
            assertPixel(rgb, x, 0, (byte) expected[x], (byte) expected[x], (byte) expected[x]);
        }
    }

    @Test
    void sixteenBitGrayPngWithTransparentValueStillClamps() throws IOException {
        // ImageIO expands the tRNS chunk into an alpha band; Pillow still opens the file as mode "I".
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 5);
        image.getRaster().setSample(1, 0, 0, 300);
        image.getRaster().setSample(2, 0, 0, 7);
        byte[] png = encode(image, "png");
        byte[] withTrns = insertChunkAfterIhdr(png, "tRNS", new byte[] {0, 5});
        RgbImage rgb = decoder.decode(withTrns, "gray16-trns.png");
        assertPixel(rgb, 0, 0, (byte) 5, (byte) 5, (byte) 5);
        assertPixel(rgb, 1, 0, (byte) 255, (byte) 255, (byte) 255);
        assertPixel(rgb, 2, 0, (byte) 7, (byte) 7, (byte) 7);
    }

    @Test
    void embeddedIccProfileIsIgnoredLikePillow() throws IOException {
        // Pillow keeps the raw decoded values; Java would apply the profile if we went through getRGB.
        byte[] jpeg = java.nio.file.Files.readAllBytes(
                TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[Fixtures.JPEG_INDEX]));
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.writeBytes("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        segment.write(1); // chunk 1
        segment.write(1); // of 1
        segment.writeBytes(profile);
        int length = segment.size() + 2;
        ByteArrayOutputStream withProfile = new ByteArrayOutputStream();
        withProfile.write(jpeg, 0, 2); // SOI
        withProfile.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length});
        withProfile.writeBytes(segment.toByteArray());
        withProfile.write(jpeg, 2, jpeg.length - 2);

        RgbImage plain = decoder.decode(jpeg, "plain.jpg");
        RgbImage tagged = decoder.decode(withProfile.toByteArray(), "linear-rgb.jpg");
        assertArrayEquals(plain.pixels(), tagged.pixels());
        java.nio.file.Path file = tempDir.resolve("linear-rgb.jpg");
        java.nio.file.Files.write(file, withProfile.toByteArray());
        assertArrayEquals(plain.pixels(), decoder.decode(file).pixels());
        BufferedImage javaView = ImageIO.read(new java.io.ByteArrayInputStream(withProfile.toByteArray()));
        assertTrue(javaView.getColorModel().getColorSpace() instanceof java.awt.color.ICC_ColorSpace);
    }

    @Test
    void pngIccProfileIsIgnoredLikePillow() throws IOException {
        byte[] png = java.nio.file.Files.readAllBytes(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[1]));
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes("linear\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        chunk.write(0); // deflate
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(profile);
        deflater.finish();
        byte[] buffer = new byte[profile.length + 1024];
        chunk.write(buffer, 0, deflater.deflate(buffer));
        byte[] withProfile = insertChunkAfterIhdr(png, "iCCP", chunk.toByteArray());
        assertArrayEquals(decoder.decode(png, "plain.png").pixels(),
                decoder.decode(withProfile, "linear-rgb.png").pixels());
    }

    @Test
    void eightBitGrayIsReplicatedWithoutGammaConversion() {
        // Java's getRGB would gamma-convert linear gray (100 -> 170); Pillow replicates the byte.
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 100);
        image.getRaster().setSample(1, 0, 0, 7);
        RgbImage rgb = decoder.fromBufferedImage(image, "gray");
        assertPixel(rgb, 0, 0, (byte) 100, (byte) 100, (byte) 100);
        assertPixel(rgb, 1, 0, (byte) 7, (byte) 7, (byte) 7);
    }

    @Test
    void alphaIsDroppedNotComposited() {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00_C8_64_32); // fully transparent, colour (200, 100, 50)
        RgbImage rgb = decoder.fromBufferedImage(image, "argb");
        assertPixel(rgb, 0, 0, (byte) 200, (byte) 100, (byte) 50);
    }

    @Test
    void bmpDecodesToItsPixels() throws IOException {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < COLOURS.length; i++) {
            image.setRGB(i % 3, i / 3, COLOURS[i]);
        }
        RgbImage rgb = decoder.decode(encode(image, "bmp"), "image.bmp");
        assertEquals(3, rgb.width());
        assertEquals(2, rgb.height());
        assertColours(rgb);
    }

    @Test
    void gifDecodesToItsPaletteColours() throws IOException {
        // GIF is palette-only: give ImageIO an indexed image so its writer does not quantize the colours.
        // 8 x 8 because ImageIO's GIF writer garbles the interlaced rows of images only 2 rows high.
        byte[] reds = new byte[COLOURS.length];
        byte[] greens = new byte[COLOURS.length];
        byte[] blues = new byte[COLOURS.length];
        for (int i = 0; i < COLOURS.length; i++) {
            reds[i] = (byte) (COLOURS[i] >> 16);
            greens[i] = (byte) (COLOURS[i] >> 8);
            blues[i] = (byte) COLOURS[i];
        }
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, COLOURS.length, reds, greens, blues));
        for (int i = 0; i < COLOURS.length; i++) {
            image.getRaster().setSample(i % 3, i / 3, 0, i);
        }
        assertColours(decoder.decode(encode(image, "gif"), "image.gif"));
    }

    private static final int[] COLOURS = {0xFF0000, 0x00FF00, 0x0000FF, 0x123456, 0xFFFFFF, 0x000000};

    private static void assertColours(RgbImage rgb) {
        for (int i = 0; i < COLOURS.length; i++) {
            int c = COLOURS[i];
            assertPixel(rgb, i % 3, i / 3, (byte) (c >> 16), (byte) (c >> 8), (byte) c);
        }
    }

    @Test
    void subImageWithOffsetRasterIsReadFromItsOwnOrigin() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(2, 1, 0xABCDEF);
        RgbImage rgb = decoder.fromBufferedImage(image.getSubimage(2, 1, 2, 2), "sub");
        assertPixel(rgb, 0, 0, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF);
        assertPixel(rgb, 1, 1, (byte) 0, (byte) 0, (byte) 0);
    }

    private static void assertPixel(RgbImage rgb, int x, int y, byte red, byte green, byte blue) {
        assertArrayEquals(new int[] {red & 0xFF, green & 0xFF, blue & 0xFF},
                new int[] {rgb.sample(x, y, 0), rgb.sample(x, y, 1), rgb.sample(x, y, 2)},
                "pixel (" + x + ", " + y + ")");
    }

    /** Inserts a chunk (with its CRC) right after the 8-byte signature and the 25-byte IHDR chunk. */
    private static byte[] insertChunkAfterIhdr(byte[] png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeBytes);
        crc.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }
}
