package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code embed} turns EXIF-rotated photos upright by default, and {@code --ignore-exif-orientation} does not. */
class ExifOrientationCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = Path.of(System.getProperty("aperture.testdata", "../testdata"),
            "clip-tiny").toString();

    @TempDir
    Path dir;

    private static JsonNode embedding(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), args), err.toString());
        return JSON.readTree(out.toString().strip()).get("embedding");
    }

    /** A big-endian TIFF block with IFD0 holding only orientation 6 (rotate 90 clockwise to view). */
    private static byte[] orientationSix() {
        return ByteBuffer.allocate(26).put("MM".getBytes(StandardCharsets.ISO_8859_1)).putShort((short) 42)
                .putInt(8).putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) 6).putShort((short) 0).putInt(0).array();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** {@code png} with an eXIf chunk after IHDR (which ends at byte 33). */
    private static byte[] withExif(byte[] png, byte[] tiff) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length).put("eXIf".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + tiff.length);
        chunk.putInt((int) crc.getValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(png, 33));
        out.writeBytes(chunk.array());
        out.writeBytes(Arrays.copyOfRange(png, 33, png.length));
        return out.toByteArray();
    }

    @Test
    void exifRotatedImageEmbedsAsTheUprightImageUnlessIgnored() throws IOException {
        BufferedImage stored = new BufferedImage(48, 20, BufferedImage.TYPE_INT_RGB);
        BufferedImage upright = new BufferedImage(20, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 48; x++) {
                int rgb = (x * 5) << 16 | (y * 12) << 8 | ((x * y) & 0xFF);
                stored.setRGB(x, y, rgb);
                upright.setRGB(19 - y, x, rgb);
            }
        }
        Path tagged = dir.resolve("tagged.png");
        Path rotated = dir.resolve("rotated.png");
        Path plain = dir.resolve("plain.png");
        Files.write(tagged, withExif(png(stored), orientationSix()));
        Files.write(rotated, png(upright));
        Files.write(plain, png(stored));

        assertEquals(embedding("embed", "--model", MODEL, "--image", rotated.toString()),
                embedding("embed", "--model", MODEL, "--image", tagged.toString()));
        JsonNode ignored = embedding("embed", "--model", MODEL, "--ignore-exif-orientation", "--image",
                tagged.toString());
        assertEquals(embedding("embed", "--model", MODEL, "--image", plain.toString()), ignored);
        assertNotEquals(embedding("embed", "--model", MODEL, "--image", rotated.toString()), ignored);
    }
}
