package dev.aperture.models.transformer;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/**
 * A vision transformer's patch embedding (Dosovitskiy et al. 2020): a convolution whose kernel and stride are both
 * the patch size, computed as one matmul. Each patch becomes a row of {@code channels·P·P} pixels in the conv
 * weight's (channel, ky, kx) order, multiplied by the weight seen as {@code [hidden, channels·P·P]}; patches follow
 * in row-major grid order.
 *
 * <p>A model may reserve leading rows per image for its own tokens (CLIP's class token): they are all-zero pixel rows,
 * which a bias-free convolution maps to zero, so the model can add its token there with the position table.
 */
public final class PatchEmbedding {
    private final Backend backend;
    private final LinearWeights convolution;
    private final int numChannels;
    private final int imageSize;
    private final int patchSize;
    private final int leadingRows;

    private PatchEmbedding(Backend backend, LinearWeights convolution, int numChannels, int imageSize, int patchSize,
                           int leadingRows) {
        this.backend = backend;
        this.convolution = convolution;
        this.numChannels = numChannels;
        this.imageSize = imageSize;
        this.patchSize = patchSize;
        this.leadingRows = leadingRows;
    }

    /**
     * The convolution {@code prefix.weight} ({@code [hidden, channels, P, P]}) and, when {@code withBias},
     * {@code prefix.bias}; {@code configKey} names the config section in errors ({@code vision_config}).
     *
     * @param leadingRows rows per image before the patches, left for the model's own tokens (bias-free only)
     */
    public static PatchEmbedding load(WeightLoader weights, String prefix, boolean withBias, String configKey,
                                      int hiddenSize, int numChannels, int imageSize, int patchSize,
                                      int leadingRows) {
        if (withBias && leadingRows > 0) {
            throw new IllegalArgumentException("leading rows stay zero only without a bias");
        }
        String why = configKey + ".patch_size " + patchSize + ", num_channels " + numChannels + ", hidden_size "
                + hiddenSize;
        LinearWeights convolution = weights.backend().prepareLinear(
                weights.view(prefix + ".weight", why, hiddenSize, numChannels, patchSize, patchSize),
                withBias ? weights.view(prefix + ".bias", why, hiddenSize) : null);
        return new PatchEmbedding(weights.backend(), convolution, numChannels, imageSize, patchSize, leadingRows);
    }

    /** Patches along one side of the image. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Rows per image in the output: the leading rows, then one per patch. */
    public int rowsPerImage() {
        return leadingRows + patchesPerSide() * patchesPerSide();
    }

    /**
     * Fails, naming the image, unless each holds {@code channels × image_size × image_size} values: what a tower
     * checks before any work.
     */
    public void checkPixels(float[][] pixelValues) {
        int expected = numChannels * imageSize * imageSize;
        for (int image = 0; image < pixelValues.length; image++) {
            if (pixelValues[image] == null || pixelValues[image].length != expected) {
                throw new InputException("Image " + image + " has "
                        + (pixelValues[image] == null ? "no" : String.valueOf(pixelValues[image].length))
                        + " pixel values, expected " + expected + " (" + numChannels + " x " + imageSize + " x "
                        + imageSize + ", channels first)");
            }
        }
    }

    /** Writes into {@code out} ({@code [images·rowsPerImage, hidden]}) each image's leading rows then its patches. */
    public void forward(float[][] pixelValues, Matrix out) {
        int rows = pixelValues.length * rowsPerImage();
        // The patch rows exist only to be uploaded: adopting them spares the CPU backend a copy of every pixel.
        try (Matrix patches = backend.adopt(patchRows(pixelValues), rows, convolution.inFeatures())) {
            backend.linear(patches, convolution, out);
        }
    }

    /** Each image's patches as rows (CHW pixels in), after its all-zero leading rows. */
    private float[] patchRows(float[][] pixelValues) {
        int grid = patchesPerSide();
        int rowLength = numChannels * patchSize * patchSize;
        float[] rows = new float[pixelValues.length * rowsPerImage() * rowLength];
        for (int image = 0; image < pixelValues.length; image++) {
            float[] pixels = pixelValues[image];
            for (int py = 0; py < grid; py++) {
                for (int px = 0; px < grid; px++) {
                    int row = image * rowsPerImage() + leadingRows + py * grid + px;
                    int out = row * rowLength;
                    for (int channel = 0; channel < numChannels; channel++) {
                        for (int ky = 0; ky < patchSize; ky++) {
                            int in = (channel * imageSize + py * patchSize + ky) * imageSize + px * patchSize;
                            System.arraycopy(pixels, in, rows, out, patchSize);
                            out += patchSize;
                        }
                    }
                }
            }
        }
        return rows;
    }
}
