package dev.aperture.models.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * EXIF orientation, applied as Pillow's {@code ImageOps.exif_transpose}: a JPEG (APP1) or PNG (eXIf) carrying
 * orientation N decodes to the stored pixels turned by N's flip/rotation, built here from two primitives (mirror
 * left-right, rotate 90 clockwise) independently of the code under test. The files are synthesized: an
 * ImageIO-encoded image with the EXIF block spliced in, so the stored pixels are exactly the plain file's.
 */
class ExifOrientationTest {
    private static final int WIDTH = 7;
    private static final int HEIGHT = 4;
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    /** Every pixel distinct, so any wrong mapping shows. */
    private static BufferedImage distinctPixels() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, (x * 36) << 16 | (y * 60) << 8 | (x * 7 + y * 50));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** A TIFF block, as EXIF holds it: header, IFD0 with one entry (tag, type, count, value), next-IFD 0. */
    static byte[] tiffWithEntry(boolean littleEndian, int tag, int type, int count, int value) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3) {
            tiff.putShort((short) value).putShort((short) 0);
        } else {
            tiff.putInt(value);
        }
        tiff.putInt(0);
        return tiff.array();
    }

    static byte[] orientationTiff(boolean littleEndian, int orientation) {
        return tiffWithEntry(littleEndian, 0x0112, 3, 1, orientation);
    }

    /** The JPEG with an APP1 "Exif\0\0" + {@code tiff} segment right after SOI, where cameras write it. */
    static byte[] jpegWithApp1(byte[] jpeg, byte[] tiff) {
        byte[] payload = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff);
        int length = payload.length + 2;
        byte[] segment = concat(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length}, payload);
        return concat(Arrays.copyOf(jpeg, 2), segment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** The PNG with an eXIf chunk right after IHDR (signature 8 bytes + IHDR chunk 25 bytes). */
    static byte[] pngWithExif(byte[] png, byte[] tiff) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length).put("eXIf".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + tiff.length);
        chunk.putInt((int) crc.getValue());
        return concat(Arrays.copyOf(png, 33), chunk.array(), Arrays.copyOfRange(png, 33, png.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static RgbImage mirrorLeftRight(RgbImage image) {
        byte[] out = new byte[image.pixels().length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                System.arraycopy(image.pixels(), (y * image.width() + image.width() - 1 - x) * 3, out,
                        (y * image.width() + x) * 3, 3);
            }
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** Rotate 90 degrees clockwise: the stored top-left pixel ends top-right. */
    private static RgbImage rotateClockwise(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] out = new byte[image.pixels().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int outX = h - 1 - y;
                int outY = x;
                System.arraycopy(image.pixels(), (y * w + x) * 3, out, (outY * h + outX) * 3, 3);
            }
        }
        return new RgbImage(h, w, out);
    }

    /** The EXIF 2.3 meaning of each value, as Pillow's exif_transpose method table applies it. */
    private static RgbImage expectedUpright(RgbImage stored, int orientation) {
        return switch (orientation) {
            case 1 -> stored;
            case 2 -> mirrorLeftRight(stored);                                                   // FLIP_LEFT_RIGHT
            case 3 -> rotateClockwise(rotateClockwise(stored));                                  // ROTATE_180
            case 4 -> mirrorLeftRight(rotateClockwise(rotateClockwise(stored)));                 // FLIP_TOP_BOTTOM
            case 5 -> mirrorLeftRight(rotateClockwise(stored));                                  // TRANSPOSE
            case 6 -> rotateClockwise(stored);                                                   // ROTATE_270
            case 7 -> mirrorLeftRight(rotateClockwise(rotateClockwise(rotateClockwise(stored)))); // TRANSVERSE
            case 8 -> rotateClockwise(rotateClockwise(rotateClockwise(stored)));                 // ROTATE_90
            default -> throw new IllegalArgumentException("orientation " + orientation);
        };
    }

    private static void assertSameImage(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width(), actual.width(), what + ": width");
        assertEquals(expected.height(), actual.height(), what + ": height");
        assertArrayEquals(expected.pixels(), actual.pixels(), what + ": pixels");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegOrientationTurnsTheStoredPixelsUpright(int orientation) throws IOException {
        byte[] jpeg = encode(distinctPixels(), "jpeg");
        RgbImage stored = decoder.decode(jpeg, "plain.jpg");
        for (boolean littleEndian : new boolean[] {true, false}) {
            RgbImage decoded = decoder.decode(jpegWithApp1(jpeg, orientationTiff(littleEndian, orientation)), "exif.jpg");
            assertSameImage(expectedUpright(stored, orientation), decoded,
                    "orientation " + orientation + (littleEndian ? " II" : " MM"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifChunkOrientationTurnsTheStoredPixelsUpright(int orientation) throws IOException {
        byte[] png = encode(distinctPixels(), "png");
        RgbImage stored = decoder.decode(png, "plain.png");
        RgbImage decoded = decoder.decode(pngWithExif(png, orientationTiff(false, orientation)), "exif.png");
        assertSameImage(expectedUpright(stored, orientation), decoded, "orientation " + orientation);
    }

    @Test
    void rotateNinetyClockwiseMovesTheTopLeftPixelToTheTopRight() throws IOException {
        byte[] png = encode(distinctPixels(), "png");
        RgbImage decoded = decoder.decode(pngWithExif(png, orientationTiff(true, 6)), "exif.png");
        assertEquals(HEIGHT, decoded.width());
        assertEquals(WIDTH, decoded.height());
        RgbImage stored = decoder.decode(png, "plain.png");
        for (int c = 0; c < 3; c++) {
            assertEquals(stored.sample(0, 0, c), decoded.sample(HEIGHT - 1, 0, c));
            assertEquals(stored.sample(WIDTH - 1, HEIGHT - 1, c), decoded.sample(0, WIDTH - 1, c));
        }
    }

    @Test
    void ignoringTheOrientationKeepsThePixelsAsStored() throws IOException {
        byte[] jpeg = encode(distinctPixels(), "jpeg");
        ImageDecoder ignoring = new ImageDecoder(ImageLimits.defaults().withExifOrientation(false));
        assertSameImage(decoder.decode(jpeg, "plain.jpg"),
                ignoring.decode(jpegWithApp1(jpeg, orientationTiff(true, 6)), "exif.jpg"), "ignored orientation 6");
    }

    @Test
    void preprocessorAppliesTheOrientationBeforeResizing() throws IOException {
        ImagePreprocessor preprocessor = ImagePreprocessor.load(dev.aperture.models.TestData.clipTiny());
        BufferedImage stored = distinctPixels();
        BufferedImage upright = new BufferedImage(HEIGHT, WIDTH, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                upright.setRGB(HEIGHT - 1 - y, x, stored.getRGB(x, y));  // rotate 90 clockwise
            }
        }
        byte[] rotatedByTag = pngWithExif(encode(stored, "png"), orientationTiff(true, 6));
        assertArrayEquals(preprocessor.preprocess(upright), preprocessor.preprocess(rotatedByTag, "exif.png"));
    }

    @Test
    void malformedOrUnusualOrientationEntriesLeaveThePixelsAsStored() throws IOException {
        byte[] jpeg = encode(distinctPixels(), "jpeg");
        RgbImage stored = decoder.decode(jpeg, "plain.jpg");
        byte[][] hostile = {
                orientationTiff(true, 9),                          // out of range: Pillow has no method for it
                orientationTiff(true, 0),
                tiffWithEntry(true, 0x0112, 3, 2, 6),              // a count other than one
                tiffWithEntry(true, 0x0112, 2, 1, 6),              // ASCII, not a number
                tiffWithEntry(true, 0x0100, 3, 1, 6),              // ImageWidth, not orientation
                Arrays.copyOf(orientationTiff(true, 6), 17),       // entry cut short
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I')
                        .putShort((short) 42).putInt(Integer.MAX_VALUE).array(),  // IFD offset past the end
                ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I')
                        .putShort((short) 42).putInt(8).putShort((short) 0xFFFF).array(),  // 65535 entries, none there
                "XX*\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),  // no byte order
                new byte[0],
        };
        for (int i = 0; i < hostile.length; i++) {
            assertSameImage(stored, decoder.decode(jpegWithApp1(jpeg, hostile[i]), "hostile.jpg"), "case " + i);
        }
    }

    @Test
    void aLongOrientationIsAppliedAsPillowReadsAnyIntegerType() throws IOException {
        byte[] jpeg = encode(distinctPixels(), "jpeg");
        RgbImage stored = decoder.decode(jpeg, "plain.jpg");
        RgbImage decoded = decoder.decode(jpegWithApp1(jpeg, tiffWithEntry(false, 0x0112, 4, 1, 3)), "long.jpg");
        assertSameImage(expectedUpright(stored, 3), decoded, "LONG orientation 3");
    }

    @Test
    void randomExifBytesNeverBreakDecoding() throws IOException {
        byte[] jpeg = encode(distinctPixels(), "jpeg");
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] tiff = orientationTiff(random.nextBoolean(), 1 + random.nextInt(8));
            for (int flips = 0; flips < 3; flips++) {
                tiff[random.nextInt(tiff.length)] = (byte) random.nextInt(256);
            }
            RgbImage decoded = decoder.decode(jpegWithApp1(jpeg, tiff), "fuzzed.jpg");
            assertEquals(WIDTH * HEIGHT, decoded.width() * decoded.height());
            assertEquals(ExifOrientation.fromTiff(tiff, 0) >= 5 ? HEIGHT : WIDTH, decoded.width());
        }
    }

    /**
     * The lossless WebP fixture (a simple-format RIFF with one VP8L chunk) rewrapped in the extended format:
     * VP8X (flags: EXIF present; canvas size minus one), the VP8L chunk, then an EXIF chunk, as libwebp's
     * webpmux lays them out.
     */
    static byte[] webpWithExif(byte[] simpleWebp, byte[] tiff, int width, int height) {
        byte[] vp8l = Arrays.copyOfRange(simpleWebp, 12, simpleWebp.length);
        ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes(StandardCharsets.ISO_8859_1)).putInt(10).put((byte) 0x08).put(new byte[3]);
        vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) 0);
        vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) 0);
        ByteBuffer exif = ByteBuffer.allocate(8 + tiff.length + (tiff.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        exif.put("EXIF".getBytes(StandardCharsets.ISO_8859_1)).putInt(tiff.length).put(tiff);
        byte[] body = concat("WEBP".getBytes(StandardCharsets.ISO_8859_1), vp8x.array(), vp8l, exif.array());
        ByteBuffer riff = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length);
        return concat(riff.array(), body);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8})
    void webpExifChunkOrientationTurnsTheStoredPixelsUpright(int orientation) throws IOException {
        Path fixture = Path.of(System.getProperty("aperture.testdata", "../testdata"), "webp",
                "shapes_lossless.webp");
        byte[] webp = Files.readAllBytes(fixture);
        RgbImage stored = decoder.decode(webp, "plain.webp");
        RgbImage decoded = decoder.decode(webpWithExif(webp, orientationTiff(true, orientation), stored.width(),
                stored.height()), "exif.webp");
        assertSameImage(expectedUpright(stored, orientation), decoded, "orientation " + orientation);
    }
}
