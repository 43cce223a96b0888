package dev.aperture.models.image;

import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the EXIF orientation tag (0x0112 in IFD0, values 1..8) of a JPEG (the first APP1 "Exif" segment before
 * the image data), a PNG (its eXIf chunk before IDAT) or a WebP (the extended format's EXIF chunk), as Pillow's {@code getexif()} finds it for
 * {@code ImageOps.exif_transpose}.
 *
 * <p>A small bounded parser over hostile input: it reads at most {@link #MAX_SEGMENTS} markers or chunks and one
 * EXIF block of at most 64 KiB (a JPEG segment's limit; larger PNG eXIf chunks are ignored), checks every offset
 * against the block, and answers {@link #NORMAL} for anything missing, malformed or out of range, so a broken
 * EXIF block never stops an image from decoding (Pillow, too, decodes the pixels and leaves them unrotated). It
 * leaves the stream where it found it.
 */
final class ExifOrientation {
    /** Orientation 1: the stored pixels are the upright image. */
    static final int NORMAL = 1;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int MAX_SEGMENTS = 256;
    private static final int MAX_EXIF_BYTES = 0xFFFF;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ExifOrientation() {
    }

    /** The orientation of the JPEG, PNG or WebP at the stream's position; {@link #NORMAL} for other formats. */
    static int read(ImageInputStream stream) throws IOException {
        stream.mark();
        try {
            byte[] head = new byte[8];
            if (!readFully(stream, head)) {
                return NORMAL;
            }
            if ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                stream.reset();
                stream.mark();
                stream.skipBytes(2);
                return fromJpegSegments(stream);
            }
            if (Arrays.equals(head, PNG_SIGNATURE)) {
                return fromPngChunks(stream);
            }
            byte[] form = new byte[4];
            if (head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && readFully(stream, form)
                    && Arrays.equals(form, "WEBP".getBytes(StandardCharsets.ISO_8859_1))) {
                return fromWebpChunks(stream);
            }
            return NORMAL;
        } finally {
            stream.reset();
        }
    }

    /** Walks the markers after SOI up to the first scan (SOS) or EOI. */
    private static int fromJpegSegments(ImageInputStream stream) throws IOException {
        for (int segment = 0; segment < MAX_SEGMENTS; segment++) {
            int prefix = stream.read();
            int marker = stream.read();
            while (marker == 0xFF) {  // fill bytes before a marker are allowed
                marker = stream.read();
            }
            if (prefix != 0xFF || marker < 0 || marker == 0xDA || marker == 0xD9) {
                return NORMAL;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;  // markers without a length
            }
            int high = stream.read();
            int low = stream.read();
            if (low < 0) {
                return NORMAL;
            }
            int length = (high << 8 | low) - 2;
            if (length < 0) {
                return NORMAL;
            }
            if (marker == 0xE1 && length >= EXIF_HEADER.length) {
                byte[] data = new byte[length];
                if (!readFully(stream, data)) {
                    return NORMAL;
                }
                if (Arrays.equals(data, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length)) {
                    // Pillow keeps the first Exif APP1 and ignores later ones.
                    return fromTiff(data, EXIF_HEADER.length);
                }
            } else if (stream.skipBytes(length) < length) {
                return NORMAL;
            }
        }
        return NORMAL;
    }

    /** Walks the chunks after the signature up to IDAT. */
    private static int fromPngChunks(ImageInputStream stream) throws IOException {
        byte[] header = new byte[8];
        for (int chunk = 0; chunk < MAX_SEGMENTS; chunk++) {
            if (!readFully(stream, header)) {
                return NORMAL;
            }
            long length = (header[0] & 0xFFL) << 24 | (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8
                    | (header[3] & 0xFF);
            String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT") || type.equals("IEND")) {
                return NORMAL;
            }
            if (type.equals("eXIf")) {
                if (length > MAX_EXIF_BYTES) {
                    return NORMAL;
                }
                byte[] data = new byte[(int) length];
                if (!readFully(stream, data)) {
                    return NORMAL;
                }
                // Some writers keep JPEG's "Exif\0\0" prefix in the chunk; Pillow skips it, so do we.
                boolean prefixed = data.length >= EXIF_HEADER.length
                        && Arrays.equals(data, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length);
                return fromTiff(data, prefixed ? EXIF_HEADER.length : 0);
            }
            long skip = length + 4;  // data and CRC
            if (stream.skipBytes(skip) < skip) {
                return NORMAL;
            }
        }
        return NORMAL;
    }

    /** Walks a WebP's RIFF chunks (little-endian sizes, odd sizes padded) for the extended format's EXIF chunk. */
    private static int fromWebpChunks(ImageInputStream stream) throws IOException {
        byte[] header = new byte[8];
        for (int chunk = 0; chunk < MAX_SEGMENTS; chunk++) {
            if (!readFully(stream, header)) {
                return NORMAL;
            }
            long size = (header[4] & 0xFFL) | (header[5] & 0xFF) << 8 | (header[6] & 0xFF) << 16
                    | (header[7] & 0xFFL) << 24;
            if (new String(header, 0, 4, StandardCharsets.ISO_8859_1).equals("EXIF")) {
                if (size > MAX_EXIF_BYTES) {
                    return NORMAL;
                }
                byte[] data = new byte[(int) size];
                if (!readFully(stream, data)) {
                    return NORMAL;
                }
                boolean prefixed = data.length >= EXIF_HEADER.length
                        && Arrays.equals(data, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length);
                return fromTiff(data, prefixed ? EXIF_HEADER.length : 0);
            }
            long skip = size + (size & 1);
            if (stream.skipBytes(skip) < skip) {
                return NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * The orientation in the TIFF structure starting at {@code start}: byte order "II" or "MM", 42, the offset of
     * IFD0, then IFD0's 12-byte entries. The value is taken when the tag is a single SHORT or LONG.
     */
    static int fromTiff(byte[] data, int start) {
        if (data.length - start < 8) {
            return NORMAL;
        }
        boolean littleEndian;
        if (data[start] == 'I' && data[start + 1] == 'I') {
            littleEndian = true;
        } else if (data[start] == 'M' && data[start + 1] == 'M') {
            littleEndian = false;
        } else {
            return NORMAL;
        }
        Tiff tiff = new Tiff(data, start, littleEndian);
        if (tiff.u16(2) != 42) {
            return NORMAL;
        }
        long ifd = tiff.u32(4);
        long entries = tiff.u16(ifd);
        for (long i = 0; i < entries; i++) {
            long entry = ifd + 2 + 12 * i;
            if (tiff.u16(entry) != ORIENTATION_TAG) {
                continue;
            }
            long type = tiff.u16(entry + 2);
            long count = tiff.u32(entry + 4);
            long value = count != 1 ? -1 : type == 3 ? tiff.u16(entry + 8) : type == 4 ? tiff.u32(entry + 8) : -1;
            return value >= 1 && value <= 8 ? (int) value : NORMAL;
        }
        return NORMAL;
    }

    /** Bounds-checked reads of a TIFF block: -1 for anything outside it, which no caller accepts. */
    private record Tiff(byte[] data, int start, boolean littleEndian) {
        long u16(long offset) {
            if (offset < 0 || offset > data.length - start - 2L) {
                return -1;
            }
            int at = (int) (start + offset);
            int a = data[at] & 0xFF;
            int b = data[at + 1] & 0xFF;
            return littleEndian ? b << 8 | a : a << 8 | b;
        }

        long u32(long offset) {
            long low = u16(littleEndian ? offset : offset + 2);
            long high = u16(littleEndian ? offset + 2 : offset);
            return low < 0 || high < 0 ? -1 : high << 16 | low;
        }
    }

    private static boolean readFully(ImageInputStream stream, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int read = stream.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                return false;
            }
            filled += read;
        }
        return true;
    }
}
