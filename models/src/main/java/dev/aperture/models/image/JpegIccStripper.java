package dev.aperture.models.image;

import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes embedded ICC profiles (APP2 "ICC_PROFILE" segments) from a JPEG.
 *
 * <p>Why: the JDK's JPEG reader colour-converts images that carry a profile (a phone's Display P3 photo, say),
 * while Pillow decodes the raw YCbCr to RGB and keeps the profile only as metadata. Decoding the stripped file
 * gives exactly Pillow's values. Only the header segments before the first scan are touched; anything unexpected
 * ends the edit and the rest is copied unchanged, so a malformed file stays as malformed as it was.
 */
final class JpegIccStripper {

    private static final byte[] ICC_SIGNATURE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int APP2 = 0xE2;
    private static final int START_OF_SCAN = 0xDA;

    private JpegIccStripper() {
    }

    /**
     * Whether the JPEG at the stream's current position has an ICC segment before its first scan. Reads only
     * segment headers (skipping their bodies) and restores the stream position.
     */
    static boolean hasIccProfile(ImageInputStream in) throws IOException {
        in.mark();
        try {
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return false;
            }
            while (true) {
                if (in.read() != 0xFF) {
                    return false;
                }
                int marker = in.read();
                if (marker == START_OF_SCAN || marker < 0xC0 || marker == 0xFF) {
                    return false;
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    return false;
                }
                int bodyLeft = length - 2;
                if (marker == APP2 && bodyLeft >= ICC_SIGNATURE.length) {
                    byte[] signature = new byte[ICC_SIGNATURE.length];
                    in.readFully(signature);
                    if (Arrays.equals(signature, ICC_SIGNATURE)) {
                        return true;
                    }
                    bodyLeft -= signature.length;
                }
                in.skipBytes(bodyLeft);
            }
        } catch (EOFException e) {
            return false;
        } finally {
            in.reset();
        }
    }

    /** The JPEG without its ICC segments (the same array when it has none or does not start with SOI). */
    static byte[] withoutIccProfiles(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int position = 2;
        boolean removedAny = false;
        while (position + 4 <= jpeg.length && (jpeg[position] & 0xFF) == 0xFF) {
            int marker = jpeg[position + 1] & 0xFF;
            if (marker == START_OF_SCAN || marker == 0xFF || marker < 0xC0) {
                break; // entropy-coded data, fill bytes or something unexpected: copy the rest verbatim
            }
            int length = ((jpeg[position + 2] & 0xFF) << 8) | (jpeg[position + 3] & 0xFF);
            if (length < 2 || position + 2 + length > jpeg.length) {
                break;
            }
            boolean iccSegment = marker == APP2 && startsWith(jpeg, position + 4, 2 + length, ICC_SIGNATURE);
            if (iccSegment) {
                removedAny = true;
            } else {
                out.write(jpeg, position, 2 + length);
            }
            position += 2 + length;
        }
        if (!removedAny) {
            return jpeg;
        }
        out.write(jpeg, position, jpeg.length - position);
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] data, int offset, int segmentEnd, byte[] prefix) {
        if (prefix.length > segmentEnd - 4 || offset + prefix.length > data.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
