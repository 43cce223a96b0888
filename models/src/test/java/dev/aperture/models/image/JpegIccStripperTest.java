package dev.aperture.models.image;

import dev.aperture.models.TestData;
import org.junit.jupiter.api.Test;

import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JpegIccStripperTest {

    private static byte[] fixtureJpeg() throws IOException {
        return Files.readAllBytes(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[Fixtures.JPEG_INDEX]));
    }

    /** Inserts an APP segment with the given payload right after SOI. */
    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = payload.length + 2;
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length});
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static byte[] iccPayload(int size) {
        byte[] payload = new byte[14 + size];
        byte[] signature = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(signature, 0, payload, 0, signature.length);
        payload[12] = 1;
        payload[13] = 1;
        return payload;
    }

    @Test
    void removesIccSegmentsAndKeepsEverythingElse() throws IOException {
        byte[] jpeg = fixtureJpeg();
        byte[] comment = "not a profile".getBytes(StandardCharsets.US_ASCII);
        byte[] tagged = withSegment(withSegment(jpeg, 0xE2, iccPayload(300)), 0xE2, comment);
        byte[] expected = withSegment(jpeg, 0xE2, comment);
        assertArrayEquals(expected, JpegIccStripper.withoutIccProfiles(tagged));
    }

    @Test
    void leavesJpegWithoutProfileAsTheSameArray() throws IOException {
        byte[] jpeg = fixtureJpeg();
        assertSame(jpeg, JpegIccStripper.withoutIccProfiles(jpeg));
    }

    @Test
    void leavesNonJpegAndTruncatedHeadersAlone() {
        byte[] png = ImageDecoderTest.pngWithHeaderOnly(2, 2);
        assertSame(png, JpegIccStripper.withoutIccProfiles(png));
        byte[] cut = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, 0x7F, 0x00, 'I'};
        assertSame(cut, JpegIccStripper.withoutIccProfiles(cut));
    }

    @Test
    void detectsProfileFromTheStreamAndRestoresItsPosition() throws IOException {
        byte[] tagged = withSegment(fixtureJpeg(), 0xE2, iccPayload(10));
        try (MemoryCacheImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(tagged))) {
            assertTrue(JpegIccStripper.hasIccProfile(stream));
            assertEquals(0, stream.getStreamPosition());
        }
        try (MemoryCacheImageInputStream stream =
                     new MemoryCacheImageInputStream(new ByteArrayInputStream(fixtureJpeg()))) {
            assertFalse(JpegIccStripper.hasIccProfile(stream));
            assertEquals(0, stream.getStreamPosition());
        }
    }
}
