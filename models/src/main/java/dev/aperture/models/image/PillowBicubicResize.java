package dev.aperture.models.image;

/**
 * Bicubic resize that reproduces Pillow's {@code Image.resize(size, Image.BICUBIC)} (libImaging/Resample.c,
 * Pillow 9.4) byte for byte, the resize Hugging Face's image processors use.
 *
 * <p>The algorithm, as Pillow runs it on 8-bit images:
 * <ol>
 *   <li>The resize is separable: first every row is resampled to the new width (horizontal pass), then every
 *       column of that result to the new height (vertical pass). A pass whose size does not change is skipped, and
 *       an image already of the requested size is returned as is.</li>
 *   <li>Output pixel {@code i} is centred at source coordinate {@code (i + 0.5) * scale}, {@code scale = in / out}.
 *       When shrinking, the cubic kernel ({@code a = -0.5}, support 2) is stretched by {@code scale} so every
 *       source pixel contributes (antialiasing); its taps cover source pixels {@code [xmin, xmin + count)} with
 *       both ends rounded and clamped to the image.</li>
 *   <li>Each output's weights are normalised to sum to 1 (in double), then turned into fixed-point integers with
 *       {@value #PRECISION_BITS} fractional bits, rounding half away from zero.</li>
 *   <li>Each pass accumulates {@code sample * weight} in a 32-bit int that starts at one half ({@code 1 << 21}),
 *       then shifts right and clamps to 0..255, so the intermediate image is 8-bit and rounded, as in Pillow.</li>
 *   <li>The horizontal pass only produces the source rows the vertical pass will read.</li>
 * </ol>
 * Stateless and thread-safe; works on ints without per-pixel allocation.
 */
final class PillowBicubicResize {

    /** Fractional bits of the fixed-point weights: 32 bits minus 8 for the sample minus 2 for headroom. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** Pillow's bicubic kernel reaches 2 source pixels either side when not stretched. */
    private static final double BICUBIC_SUPPORT = 2.0;

    private static final int CHANNELS = 3;

    private PillowBicubicResize() {
    }

    /** Resizes {@code image} to {@code outWidth x outHeight}. */
    static RgbImage resize(RgbImage image, int outWidth, int outHeight) {
        if (outWidth < 1 || outHeight < 1) {
            throw new IllegalArgumentException("resize target must be positive, got " + outWidth + "x" + outHeight);
        }
        if (outWidth == image.width() && outHeight == image.height()) {
            return image;
        }
        Taps horizontal = Taps.compute(image.width(), outWidth);
        Taps vertical = Taps.compute(image.height(), outHeight);
        RgbImage current = image;
        if (outWidth != image.width()) {
            int firstRow = vertical.first[0];
            int endRow = vertical.first[outHeight - 1] + vertical.count[outHeight - 1];
            current = resampleRows(image, horizontal, firstRow, endRow - firstRow);
            vertical = vertical.shiftedBy(-firstRow);
        }
        if (outHeight != image.height()) {
            current = resampleColumns(current, vertical);
        }
        return current;
    }

    /** Horizontal pass over source rows {@code [firstRow, firstRow + rowCount)}. */
    private static RgbImage resampleRows(RgbImage source, Taps taps, int firstRow, int rowCount) {
        int inWidth = source.width();
        int outWidth = taps.outSize;
        byte[] in = source.pixels();
        byte[] out = new byte[outWidth * rowCount * CHANNELS];
        for (int row = 0; row < rowCount; row++) {
            int rowStart = (row + firstRow) * inWidth * CHANNELS;
            int outIndex = row * outWidth * CHANNELS;
            for (int x = 0; x < outWidth; x++) {
                int red = HALF;
                int green = HALF;
                int blue = HALF;
                int weightBase = x * taps.kernelSize;
                int inIndex = rowStart + taps.first[x] * CHANNELS;
                for (int tap = 0; tap < taps.count[x]; tap++, inIndex += CHANNELS) {
                    int weight = taps.weights[weightBase + tap];
                    red += (in[inIndex] & 0xFF) * weight;
                    green += (in[inIndex + 1] & 0xFF) * weight;
                    blue += (in[inIndex + 2] & 0xFF) * weight;
                }
                out[outIndex++] = clip8(red);
                out[outIndex++] = clip8(green);
                out[outIndex++] = clip8(blue);
            }
        }
        return new RgbImage(outWidth, rowCount, out);
    }

    /**
     * Vertical pass. Pillow loops output pixel by output pixel; summing whole rows into an accumulator row gives
     * the same integer sums (integer addition is exact) while reading the source sequentially.
     */
    private static RgbImage resampleColumns(RgbImage source, Taps taps) {
        int rowLength = source.width() * CHANNELS;
        int outHeight = taps.outSize;
        byte[] in = source.pixels();
        byte[] out = new byte[rowLength * outHeight];
        int[] sums = new int[rowLength];
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(sums, HALF);
            int weightBase = y * taps.kernelSize;
            for (int tap = 0; tap < taps.count[y]; tap++) {
                int weight = taps.weights[weightBase + tap];
                int inIndex = (taps.first[y] + tap) * rowLength;
                for (int i = 0; i < rowLength; i++) {
                    sums[i] += (in[inIndex + i] & 0xFF) * weight;
                }
            }
            int outIndex = y * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out[outIndex + i] = clip8(sums[i]);
            }
        }
        return new RgbImage(source.width(), outHeight, out);
    }

    /** Fixed-point sum to 8 bits: arithmetic shift (floor) then clamp, as Pillow's clip8. */
    private static byte clip8(int sum) {
        int value = sum >> PRECISION_BITS;
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }

    /** Pillow's bicubic kernel with a = -0.5, written in the same operation order so doubles round the same way. */
    static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * The taps of one pass (Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}): for output index
     * {@code i}, source indices {@code first[i] .. first[i] + count[i] - 1} with fixed-point weights
     * {@code weights[i * kernelSize + t]}.
     */
    private record Taps(int outSize, int kernelSize, int[] first, int[] count, int[] weights) {

        static Taps compute(int inSize, int outSize) {
            // Pillow passes the source box as floats: (float) inSize, exact below 2^24, rounded like Pillow above.
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = BICUBIC_SUPPORT * filterScale;
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[Math.multiplyExact(outSize, kernelSize)];
            double[] kernel = new double[kernelSize];
            for (int out = 0; out < outSize; out++) {
                double center = (out + 0.5) * scale;
                double inverseFilterScale = 1.0 / filterScale;
                // (int) truncates toward zero like C's cast, so "+ 0.5" rounds exactly as Pillow does.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double weight = bicubic((x + xmin - center + 0.5) * inverseFilterScale);
                    kernel[x] = weight;
                    total += weight;
                }
                for (int x = 0; x < xmax; x++) {
                    double normalized = total != 0.0 ? kernel[x] / total : kernel[x];
                    weights[out * kernelSize + x] = toFixedPoint(normalized);
                }
                first[out] = xmin;
                count[out] = Math.max(xmax, 0);
            }
            return new Taps(outSize, kernelSize, first, count, weights);
        }

        /** Pillow rounds half away from zero: {@code (int)(w * 2^22 +/- 0.5)}. */
        private static int toFixedPoint(double weight) {
            double scaled = weight * (1 << PRECISION_BITS);
            return weight < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
        }

        /** The same taps reading a buffer whose row 0 is source row {@code -offset}. */
        Taps shiftedBy(int offset) {
            int[] shifted = first.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += offset;
            }
            return new Taps(outSize, kernelSize, shifted, count, weights);
        }
    }
}
