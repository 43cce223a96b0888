package dev.aperture.models.image;

/**
 * Turns stored pixels upright for an EXIF orientation, as Pillow's {@code ImageOps.exif_transpose} does (which
 * transformers' {@code load_image} calls): 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose
 * (mirror across the main diagonal), 6 rotate 90 clockwise (Pillow's ROTATE_270), 7 transverse (mirror across the
 * anti-diagonal), 8 rotate 90 counter-clockwise (ROTATE_90). 5 to 8 swap width and height.
 */
final class ExifTranspose {
    private ExifTranspose() {
    }

    /** The upright image; {@code image} itself for orientation 1 or any value outside 1..8. */
    static RgbImage apply(RgbImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swaps = orientation >= 5;
        int outWidth = swaps ? h : w;
        int outHeight = swaps ? w : h;
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                // (sourceX, sourceY): the stored pixel that lands at output (x, y).
                int sourceX;
                int sourceY;
                switch (orientation) {
                    case 2 -> { sourceX = w - 1 - x; sourceY = y; }
                    case 3 -> { sourceX = w - 1 - x; sourceY = h - 1 - y; }
                    case 4 -> { sourceX = x; sourceY = h - 1 - y; }
                    case 5 -> { sourceX = y; sourceY = x; }
                    case 6 -> { sourceX = y; sourceY = h - 1 - x; }
                    case 7 -> { sourceX = w - 1 - y; sourceY = h - 1 - x; }
                    default -> { sourceX = w - 1 - y; sourceY = x; }  // 8
                }
                int from = (sourceY * w + sourceX) * 3;
                int to = (y * outWidth + x) * 3;
                out[to] = in[from];
                out[to + 1] = in[from + 1];
                out[to + 2] = in[from + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }
}
