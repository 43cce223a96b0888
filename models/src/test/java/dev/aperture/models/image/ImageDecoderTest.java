package dev.aperture.models.image;

import dev.aperture.models.TestData;
import dev.aperture.core.ApertureException;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Hostile, damaged and oversized inputs give typed exceptions naming the image, never crashes. */
class ImageDecoderTest {

    private final ImagePreprocessor preprocessor = ImagePreprocessor.load(TestData.clipTiny());

    @Test
    void rejectsPngWhoseHeaderDeclares100000x100000PixelsBeforeDecoding() {
        byte[] bomb = pngWithHeaderOnly(100_000, 100_000);
        ResourceLimitException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ResourceLimitException.class, () -> preprocessor.preprocess(bomb, "bomb.png")));
        assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(ImageLimits.DEFAULT_MAX_PIXELS)), e.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() {
        Path file = TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[0]); // 64 x 64 = 4096 pixels
        ImagePreprocessor strict = new ImagePreprocessor(preprocessor.config(), new ImageLimits(4095));
        ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> strict.preprocess(file));
        assertTrue(e.getMessage().contains("gradient_64x64_rgb.png") && e.getMessage().contains("4095"),
                e.getMessage());
        ImagePreprocessor exact = new ImagePreprocessor(preprocessor.config(), new ImageLimits(4096));
        assertEquals(3 * 32 * 32, exact.preprocess(file).length);
    }

    @Test
    void rejectsThinStripWhoseResizeWouldExceedThePixelLimit() {
        // 1 x 100000 is small, but its short side scaled to 32 makes 32 x 3,200,000 pixels.
        java.awt.image.BufferedImage strip =
                new java.awt.image.BufferedImage(1, 100_000, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        ImagePreprocessor strict = new ImagePreprocessor(preprocessor.config(), new ImageLimits(1_000_000));
        assertThrows(ResourceLimitException.class, () -> strict.preprocess(strip));
    }

    @Test
    void rejectsBytesThatAreNoImageFormat() {
        byte[] text = "definitely not an image".getBytes(StandardCharsets.US_ASCII);
        FormatException e = assertThrows(FormatException.class, () -> preprocessor.preprocess(text, "notes.txt"));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("not a recognised image format"),
                e.getMessage());
    }

    @Test
    void rejectsEmptyBytes() {
        FormatException e = assertThrows(FormatException.class, () -> preprocessor.preprocess(new byte[0], "empty"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void rejectsTruncatedPng() throws IOException {
        byte[] png = Files.readAllBytes(TestData.clipTiny().resolve("images/noise_64x40_rgb.png"));
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        FormatException e = assertThrows(FormatException.class,
                () -> preprocessor.preprocess(truncated, "half-noise.png"));
        assertTrue(e.getMessage().contains("half-noise.png"), e.getMessage());
    }

    @Test
    void rejectsTruncatedJpegThatLibjpegWouldFillWithGray() throws IOException {
        byte[] jpeg = Files.readAllBytes(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[Fixtures.JPEG_INDEX]));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
        FormatException e = assertThrows(FormatException.class,
                () -> preprocessor.preprocess(truncated, "cut.jpg"));
        assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsPngWithCorruptCompressedData() throws IOException {
        byte[] png = Files.readAllBytes(TestData.clipTiny().resolve("images/noise_64x40_rgb.png"));
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        byte[] corrupt = png.clone();
        Arrays.fill(corrupt, idat + 4, idat + 40, (byte) 0xFF);
        FormatException e = assertThrows(FormatException.class, () -> preprocessor.preprocess(corrupt, "bad.png"));
        assertTrue(e.getMessage().contains("bad.png"), e.getMessage());
    }

    @Test
    void missingFileIsAnInputError() {
        Path missing = TestData.clipTiny().resolve("images/no_such_image.png");
        InputException e = assertThrows(InputException.class, () -> preprocessor.preprocess(missing));
        assertTrue(e.getMessage().contains("no_such_image.png"), e.getMessage());
    }

    /** Cuts and random byte damage of every fixture: the only exceptions allowed are Aperture's typed ones. */
    @Test
    void damagedFilesOnlyEverRaiseApertureExceptions() throws IOException {
        Random random = new Random(20240320);
        for (String name : Fixtures.IMAGE_FILES) {
            byte[] original = Files.readAllBytes(TestData.clipTiny().resolve(name));
            for (int trial = 0; trial < 40; trial++) {
                byte[] damaged = trial < 20
                        ? Arrays.copyOf(original, random.nextInt(original.length))
                        : flipRandomBytes(original, random, 1 + random.nextInt(8));
                try {
                    float[] values = preprocessor.preprocess(damaged, name + "#" + trial);
                    assertEquals(3 * 32 * 32, values.length);
                } catch (ApertureException expected) {
                    assertTrue(expected.getMessage().contains(name + "#" + trial), expected.getMessage());
                } catch (RuntimeException unexpected) {
                    fail(name + " trial " + trial + " escaped as " + unexpected, unexpected);
                }
            }
        }
    }

    private static byte[] flipRandomBytes(byte[] original, Random random, int count) {
        byte[] damaged = original.clone();
        for (int i = 0; i < count; i++) {
            // Leave the 8-byte signature so the damage reaches the decoder, not just format detection.
            int position = 8 + random.nextInt(damaged.length - 8);
            damaged[position] = (byte) random.nextInt(256);
        }
        return damaged;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    /** PNG signature, an IHDR chunk (8-bit RGB, the given size, correct CRC), a tiny IDAT and IEND. */
    static byte[] pngWithHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        writeChunk(out, "IHDR", header.array());
        writeChunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
