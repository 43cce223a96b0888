package dev.aperture.models.image;

/**
 * Limits that protect the preprocessor from hostile or accidental huge images ("decompression bombs").
 *
 * <p>{@code maxPixels} bounds width x height of a decoded image; it is checked from the file header, before any
 * pixel is decoded, and again for the size an image would be resized to (a 1 x 10000 strip resized to a shortest
 * edge of 224 would otherwise become 224 x 2,240,000).
 *
 * @param maxPixels the largest accepted width x height, at least 1
 */
public record ImageLimits(long maxPixels) {

    /** 64 megapixels: a 64 MP RGBA 16-bit image decodes to 512 MiB, the most we let one image take. */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;

    /** Validates the limit. */
    public ImageLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
    }

    /** The default limits: {@value #DEFAULT_MAX_PIXELS} pixels. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS);
    }
}
