package dev.aperture.models.image;

import dev.aperture.core.ApertureException;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes an encoded image (whatever ImageIO reads: PNG, JPEG, BMP, GIF, WBMP, TIFF, and WebP through
 * TwelveMonkeys' plug-in; the first frame of an animation) into 8-bit RGB, guarding against hostile files. HEIC and
 * AVIF are refused with the conversion to run ({@link UnreadableFormats}).
 *
 * <p>Guards, in order: the pixel count declared by the header is checked against {@link ImageLimits#maxPixels()}
 * before any pixel is decoded; metadata is skipped (ImageIO would otherwise inflate compressed text chunks);
 * every failure of the decoder, including the unchecked exceptions ImageIO throws on crafted files, becomes a
 * {@link FormatException} naming the image; a JPEG that ends early (which libjpeg only reports as a warning, filling
 * the rest with gray) is refused as truncated, like Pillow's default does.
 *
 * <p>Two Pillow behaviours need the encoded bytes, not just ImageIO's result: a JPEG with an embedded ICC profile
 * is decoded again without it ({@link JpegIccStripper}: the JDK would colour-convert, Pillow does not), and a
 * 16-bit gray PNG is recognised from its IHDR so {@link PillowRgbConversion} clamps it like Pillow's mode "I"
 * even when ImageIO added an alpha band for its tRNS chunk, and the EXIF orientation of a JPEG, PNG or WebP
 * ({@link ExifOrientation}, which ImageIO ignores) turns the pixels upright ({@link ExifTranspose}) unless
 * {@link ImageLimits#applyExifOrientation()} is off.
 *
 * <p>Thread-safe: each call creates its own ImageIO reader.
 */
final class ImageDecoder {

    private final ImageLimits limits;

    ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /** Decodes a file. Missing or unreadable files give {@link InputException}, malformed ones {@link FormatException}. */
    RgbImage decode(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InputException(name + ": no such image file");
        }
        try (ImageInputStream stream = openStream(file)) {
            return decode(stream, name, () -> readWholeFile(file, name));
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new InputException(name + ": cannot open image file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read image file: " + e.getMessage(), e);
        }
    }

    /** Decodes encoded bytes; {@code name} identifies the image in errors. */
    RgbImage decode(byte[] encoded, String name) {
        if (encoded.length == 0) {
            throw new FormatException(name + ": image is empty (0 bytes)");
        }
        // A memory-cached stream: ImageIO.createImageInputStream could spill to a temp file depending on global state.
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            return decode(stream, name, () -> encoded);
        } catch (IOException e) {
            throw new FormatException(name + ": cannot read image bytes: " + e.getMessage(), e);
        }
    }

    /** Converts an already decoded image, applying the same pixel limit. */
    RgbImage fromBufferedImage(BufferedImage image, String name) {
        checkPixelCount(name, image.getWidth(), image.getHeight());
        return PillowRgbConversion.toRgb(image, name);
    }

    /** Refuses {@code width x height} beyond the limit; ImageIO headers can declare up to 2^31 - 1 per side. */
    void checkPixelCount(String name, long width, long height) {
        if (width < 1 || height < 1) {
            throw new FormatException(name + ": image declares no pixels (" + width + "x" + height + ")");
        }
        long pixels = width * height;
        if (pixels > limits.maxPixels()) {
            throw new ResourceLimitException(String.format(Locale.ROOT,
                    "%s: image is %dx%d = %d pixels, over the limit of %d pixels (ImageLimits.maxPixels)",
                    name, width, height, pixels, limits.maxPixels()));
        }
        if (pixels > (Integer.MAX_VALUE - 8) / 3) {
            // Only reachable with a raised maxPixels: 3 bytes (or floats) per pixel must fit one Java array.
            throw new ResourceLimitException(String.format(Locale.ROOT,
                    "%s: image is %dx%d = %d pixels, more than one Java array can hold at 3 values per pixel",
                    name, width, height, pixels));
        }
    }

    /**
     * Refuses an image whose decoded raster plus its RGB copy would take more than the limit, from the header's
     * declared layout (8 bytes per pixel, 16-bit RGBA, when the reader cannot say).
     */
    private void checkDecodedBytes(String name, ImageReader reader) throws IOException {
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        long rasterBytesPerPixel = 8;
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null) {
            int bits = 0;
            for (int band = 0; band < raw.getNumBands(); band++) {
                bits += raw.getBitsPerBand(band);
            }
            rasterBytesPerPixel = Math.max(1, (bits + 7) / 8);
        }
        long bytesPerPixel = rasterBytesPerPixel + 3;  // + the 8-bit RGB copy
        long pixels = width * height;  // both within maxPixels' checked product, so no overflow here
        long decoded = pixels > Long.MAX_VALUE / bytesPerPixel ? Long.MAX_VALUE : pixels * bytesPerPixel;
        if (decoded > limits.maxDecodedBytes()) {
            throw new ResourceLimitException(String.format(Locale.ROOT,
                    "%s: image is %dx%d with %d bytes per decoded pixel = %d bytes, over the limit of %d bytes"
                            + " (ImageLimits.maxDecodedBytes)",
                    name, width, height, bytesPerPixel, decoded, limits.maxDecodedBytes()));
        }
    }

    private static ImageInputStream openStream(Path file) throws IOException {
        if (file.getFileSystem() == FileSystems.getDefault()) {
            return new FileImageInputStream(new RandomAccessFile(file.toFile(), "r"));
        }
        // Zip or other NIO file systems: no RandomAccessFile, so buffer what the reader consumes.
        return new MemoryCacheImageInputStream(Files.newInputStream(file));
    }

    /**
     * The whole encoded image, fetched only when a JPEG carries an ICC profile: the JDK would colour-convert it
     * (Pillow does not), so it is decoded again with the profile stripped.
     */
    private interface EncodedBytes {
        byte[] get() throws IOException;
    }

    /**
     * Reads a whole image file, refusing sizes no sane image within the pixel limit has (8 bytes per pixel is
     * more than an uncompressed 16-bit RGBA image needs).
     */
    private byte[] readWholeFile(Path file, String name) throws IOException {
        long size = Files.size(file);
        long bound = limits.maxPixels() > (Long.MAX_VALUE - (16 << 20)) / 8 ? Long.MAX_VALUE
                : limits.maxPixels() * 8 + (16 << 20);
        if (size > bound || size > Integer.MAX_VALUE - 8) {
            throw new ResourceLimitException(name + ": file is " + size + " bytes, more than an image within "
                    + limits.maxPixels() + " pixels needs");
        }
        return Files.readAllBytes(file);
    }

    private RgbImage decode(ImageInputStream stream, String name, EncodedBytes encoded) {
        ImageReader reader = null;
        ImageInputStream strippedStream = null;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new FormatException(UnreadableFormats.message(stream, name));
            }
            reader = readers.next();
            boolean sixteenBitGrayPng = isSixteenBitGrayPng(stream);
            int orientation = limits.applyExifOrientation() ? ExifOrientation.read(stream) : ExifOrientation.NORMAL;
            boolean jpegWithProfile = "jpeg".equalsIgnoreCase(reader.getFormatName())
                    && JpegIccStripper.hasIccProfile(stream);
            reader.setInput(stream, true, true);
            checkPixelCount(name, reader.getWidth(0), reader.getHeight(0));
            checkDecodedBytes(name, reader);
            if (jpegWithProfile) {
                byte[] stripped = JpegIccStripper.withoutIccProfiles(encoded.get());
                strippedStream = new MemoryCacheImageInputStream(new ByteArrayInputStream(stripped));
                reader.setInput(strippedStream, true, true);
            }
            RgbImage stored = PillowRgbConversion.toRgb(readFirstFrame(reader, name), name, sixteenBitGrayPng);
            return ExifTranspose.apply(stored, orientation);
        } catch (ApertureException e) {
            throw e;
        } catch (IOException e) {
            throw new FormatException(name + ": cannot decode image: " + describe(e), e);
        } catch (RuntimeException e) {
            // ImageIO's readers throw ArrayIndexOutOfBounds, IllegalArgument, NegativeArraySize, IllegalState...
            // on crafted or damaged files; all of them mean "this file is malformed".
            throw new FormatException(name + ": cannot decode image (malformed data): " + describe(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            closeQuietly(strippedStream);
        }
    }

    /** Reads frame 0, turning libjpeg's truncation warning into an error. */
    private static BufferedImage readFirstFrame(ImageReader reader, String name) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        refuseTruncated(name, warnings);
        return image;
    }

    private static void closeQuietly(ImageInputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // A memory-backed stream: nothing to release that close could fail on.
            }
        }
    }

    /** PNG signature, then IHDR with bit depth 16 (byte 24) and colour type 0, gray without alpha (byte 25). */
    private static boolean isSixteenBitGrayPng(ImageInputStream stream) throws IOException {
        byte[] head = new byte[26];
        stream.mark();
        try {
            int filled = 0;
            while (filled < head.length) {
                int read = stream.read(head, filled, head.length - filled);
                if (read < 0) {
                    return false;
                }
                filled += read;
            }
        } finally {
            stream.reset();
        }
        byte[] pngSignature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        return Arrays.equals(head, 0, 8, pngSignature, 0, 8)
                && head[12] == 'I' && head[13] == 'H' && head[14] == 'D' && head[15] == 'R'
                && head[24] == 16 && head[25] == 0;
    }

    /** libjpeg reports a missing end (and the gray fill after it) only as a warning; Pillow refuses such files. */
    private static void refuseTruncated(String name, List<String> warnings) {
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("missing eoi")) {
                throw new FormatException(name + ": image file is truncated (" + warning + ")");
            }
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : message;
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (" + cause.getMessage() + ")";
        }
        return text;
    }
}
