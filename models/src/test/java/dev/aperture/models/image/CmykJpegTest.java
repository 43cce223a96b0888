package dev.aperture.models.image;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CMYK JPEG (Adobe APP14, inverted inks) converts to RGB as Pillow's {@code convert("RGB")} does:
 * {@code max(0, 255 - ink - K)}. The expected pixels are derived in testdata/cmyk/README.txt.
 */
class CmykJpegTest {
    private static Path testdata(String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "cmyk", file);
    }

    @Test
    void adobeCmykJpegConvertsWithPillowsFormula() throws IOException {
        RgbImage decoded = new ImageDecoder(ImageLimits.defaults()).decode(testdata("gradient_16x8_cmyk_adobe.jpg"));
        byte[] ppm = Files.readAllBytes(testdata("gradient_16x8_cmyk_adobe_pillow_formula.ppm"));
        String header = "P6\n16 8\n255\n";
        assertEquals(header, new String(ppm, 0, header.length(), StandardCharsets.US_ASCII));
        byte[] expected = Arrays.copyOfRange(ppm, header.length(), ppm.length);
        assertEquals(16, decoded.width());
        assertEquals(8, decoded.height());
        int max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((expected[i] & 0xFF) - (decoded.pixels()[i] & 0xFF)));
        }
        // Exact: the JDK's libjpeg decodes the inks as ImageMagick's did. Java's own CMYK conversion (naive, linear,
        // then sRGB-encoded), used before, was far off (77 instead of 0 in places).
        assertEquals(0, max, "max |difference|");
    }
}
