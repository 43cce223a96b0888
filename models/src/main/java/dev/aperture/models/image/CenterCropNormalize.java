package dev.aperture.models.image;

/**
 * The steps after the resize, as Hugging Face's {@code CLIPImageProcessor} (transformers 4.39) runs them:
 * center crop on the uint8 image, rescale, normalize, and the transpose to channels-first float32.
 *
 * <p>Crop: {@code top = (H - cropHeight) // 2}, {@code left = (W - cropWidth) // 2}. When the image is smaller
 * than the crop, HF pads it with zeros (uint8 0, which later normalizes to {@code -mean / std}) and centres it
 * at offset {@code (crop - size) // 2}. (HF's final slice comes out one pixel short when the deficit is odd; we
 * keep the requested crop size: HF's pixels plus one more row or column of padding at the end.)
 *
 * <p>Arithmetic: HF multiplies the uint8 array by the Python float {@code rescale_factor}, which numpy does in
 * float64, then casts to float32; {@code normalize} then computes {@code (x - mean) / std} in float32 with mean and
 * std cast to float32. We do exactly that, per channel and per byte value, into a 256-entry table, so every output
 * value is bit-identical to numpy's.
 */
final class CenterCropNormalize {

    private final boolean doCenterCrop;
    private final int cropHeight;
    private final int cropWidth;
    /** {@code normalized[channel][byteValue]}: the float32 HF produces for that byte. */
    private final float[][] normalized;

    CenterCropNormalize(ImageProcessorConfig config) {
        this.doCenterCrop = config.doCenterCrop();
        this.cropHeight = config.cropHeight();
        this.cropWidth = config.cropWidth();
        this.normalized = new float[3][256];
        for (int channel = 0; channel < 3; channel++) {
            float mean = (float) (double) config.imageMean().get(channel);
            float std = (float) (double) config.imageStd().get(channel);
            for (int value = 0; value < 256; value++) {
                float x = config.doRescale() ? (float) (value * config.rescaleFactor()) : (float) value;
                normalized[channel][value] = config.doNormalize() ? (x - mean) / std : x;
            }
        }
    }

    /** Output height for an input of the given height. */
    int outputHeight(int imageHeight) {
        return doCenterCrop ? cropHeight : imageHeight;
    }

    /** Output width for an input of the given width. */
    int outputWidth(int imageWidth) {
        return doCenterCrop ? cropWidth : imageWidth;
    }

    /** Crops (or pads) and normalizes {@code image} into channels-first floats {@code [3][outH][outW]}. */
    float[] apply(RgbImage image) {
        int outHeight = outputHeight(image.height());
        int outWidth = outputWidth(image.width());
        // Source row/column of output (0, 0); negative when the image is padded.
        int top = cropOrigin(image.height(), outHeight);
        int left = cropOrigin(image.width(), outWidth);
        byte[] pixels = image.pixels();
        int planeSize = outHeight * outWidth;
        float[] chw = new float[3 * planeSize];
        for (int y = 0; y < outHeight; y++) {
            int sourceY = y + top;
            boolean rowInside = sourceY >= 0 && sourceY < image.height();
            for (int x = 0; x < outWidth; x++) {
                int sourceX = x + left;
                boolean inside = rowInside && sourceX >= 0 && sourceX < image.width();
                int base = inside ? (sourceY * image.width() + sourceX) * 3 : -1;
                int outIndex = y * outWidth + x;
                for (int channel = 0; channel < 3; channel++) {
                    int value = inside ? pixels[base + channel] & 0xFF : 0;
                    chw[channel * planeSize + outIndex] = normalized[channel][value];
                }
            }
        }
        return chw;
    }

    /**
     * HF's crop start {@code (size - crop) // 2} when cropping; when padding, HF first places the image at
     * {@code (crop - size) // 2} in a zero canvas, so the origin is minus that (not floor((size - crop) / 2),
     * which differs by one for odd deficits).
     */
    private static int cropOrigin(int size, int crop) {
        return size >= crop ? (size - crop) / 2 : -((crop - size) / 2);
    }
}
