package dev.aperture.models.image;

/**
 * Limits that protect the preprocessor from hostile or accidental huge images ("decompression bombs"). Both are
 * checked from the file header, before any pixel is decoded; exceeding one raises a
 * {@link dev.aperture.core.ResourceLimitException} naming the image and the limit.
 *
 * <p>{@code maxPixels} bounds width x height of a decoded image, and also the size an image would be resized to (a
 * 1 x 10000 strip resized to a shortest edge of 224 would otherwise become 224 x 2,240,000).
 * {@code maxDecodedBytes} bounds the memory decoding takes: the decoder's raster (its bytes per pixel, up to 8 for
 * 16-bit RGBA) plus the 3-byte RGB copy.
 *
 * <p>{@code applyExifOrientation} is not a limit but travels with them to the decoder: whether a JPEG's, PNG's or
 * WebP's EXIF orientation turns the pixels upright, as transformers' {@code load_image} does with Pillow's
 * {@code ImageOps.exif_transpose} (default true). False embeds the pixels as stored, as Aperture did before.
 *
 * @param maxPixels            the largest accepted width x height, at least 1
 * @param maxDecodedBytes      the most bytes one decoded image may take, at least 1
 * @param applyExifOrientation whether the EXIF orientation tag (values 2 to 8) is applied to the decoded pixels
 */
public record ImageLimits(long maxPixels, long maxDecodedBytes, boolean applyExifOrientation) {

    /** 64 megapixels: a 4000 x 3000 photo is 12 MP; a 64 MP RGBA 16-bit image decodes to 512 MiB. */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;
    /** 1 GiB: a default-limit 16-bit RGBA image (512 MiB) plus its RGB copy (192 MiB) fits. */
    public static final long DEFAULT_MAX_DECODED_BYTES = 1L << 30;

    /** Validates the limits. */
    public ImageLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        if (maxDecodedBytes < 1) {
            throw new IllegalArgumentException("maxDecodedBytes must be at least 1, got " + maxDecodedBytes);
        }
    }

    /** Both limits, applying the EXIF orientation. */
    public ImageLimits(long maxPixels, long maxDecodedBytes) {
        this(maxPixels, maxDecodedBytes, true);
    }

    /** A pixel limit with the default decoded-memory limit, applying the EXIF orientation. */
    public ImageLimits(long maxPixels) {
        this(maxPixels, DEFAULT_MAX_DECODED_BYTES);
    }

    /** These limits, applying the EXIF orientation or ({@code false}) keeping the pixels as stored. */
    public ImageLimits withExifOrientation(boolean apply) {
        return new ImageLimits(maxPixels, maxDecodedBytes, apply);
    }

    /**
     * The default limits: {@value #DEFAULT_MAX_PIXELS} pixels, {@value #DEFAULT_MAX_DECODED_BYTES} bytes, EXIF
     * orientation applied.
     */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_DECODED_BYTES);
    }
}
