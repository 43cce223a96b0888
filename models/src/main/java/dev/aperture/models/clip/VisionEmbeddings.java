package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.WeightLoader;

/**
 * Patch embedding, class token and position embedding ({@code vision_model.embeddings}).
 *
 * <p>The patch convolution (kernel = stride = patch_size, no bias) is a matmul: each patch becomes a row of
 * {@code channels·P·P} pixels in the conv weight's (channel, ky, kx) order, multiplied by the weight seen as
 * {@code [hidden, channels·P·P]}. Each image gets one extra all-zero row in front, at the class token's position,
 * which the matmul maps to zero; the position table then adds {@code class_embedding + position[0]} there and
 * {@code position[t]} to patch t, so the whole embedding is one linear op and one periodic add.
 */
final class VisionEmbeddings {
    private final Backend backend;
    private final LinearWeights patchEmbedding;
    private final Matrix classAndPositionTable;
    private final ClipConfig.VisionConfig config;

    private VisionEmbeddings(Backend backend, LinearWeights patchEmbedding, Matrix classAndPositionTable,
                             ClipConfig.VisionConfig config) {
        this.backend = backend;
        this.patchEmbedding = patchEmbedding;
        this.classAndPositionTable = classAndPositionTable;
        this.config = config;
    }

    static VisionEmbeddings load(WeightLoader weights, String prefix, ClipConfig.VisionConfig config) {
        int hidden = config.hiddenSize();
        int patch = config.patchSize();
        int positions = config.numPositions();
        String hiddenField = "vision_config.hidden_size " + hidden;
        LinearWeights patchEmbedding = weights.linearOfShape(prefix + ".patch_embedding.weight",
                "patch_size " + patch + ", num_channels " + config.numChannels() + ", hidden_size " + hidden,
                hidden, config.numChannels(), patch, patch);
        float[] classEmbedding = weights.floats(prefix + ".class_embedding", hiddenField, hidden);
        float[] table = weights.floats(prefix + ".position_embedding.weight",
                "(image_size " + config.imageSize() + " / patch_size " + patch + ")² + 1 = " + positions
                        + " positions, " + hiddenField, positions, hidden);
        for (int c = 0; c < hidden; c++) {
            table[c] += classEmbedding[c];
        }
        return new VisionEmbeddings(weights.backend(), patchEmbedding,
                weights.backend().upload(table, positions, hidden), config);
    }

    /** Writes into {@code out} ({@code [batch·positions, hidden]}) the class token then the patches, with positions. */
    void forward(float[][] pixelValues, Matrix out) {
        int rows = pixelValues.length * config.numPositions();
        // The patch rows exist only to be uploaded: adopting them spares the CPU backend a copy of every pixel.
        try (Matrix patches = backend.adopt(patchRows(pixelValues), rows, patchEmbedding.inFeatures())) {
            backend.linear(patches, patchEmbedding, out);
            backend.addRowsPeriodic(out, classAndPositionTable, config.numPositions());
        }
    }

    /** Each image's patches as rows, after one zero row for the class token; patches in row-major grid order. */
    private float[] patchRows(float[][] pixelValues) {
        int patch = config.patchSize();
        int side = config.imageSize();
        int grid = config.patchesPerSide();
        int rowLength = config.numChannels() * patch * patch;
        float[] rows = new float[pixelValues.length * config.numPositions() * rowLength];
        for (int image = 0; image < pixelValues.length; image++) {
            float[] pixels = pixelValues[image];
            for (int py = 0; py < grid; py++) {
                for (int px = 0; px < grid; px++) {
                    int row = image * config.numPositions() + 1 + py * grid + px;
                    int out = row * rowLength;
                    for (int channel = 0; channel < config.numChannels(); channel++) {
                        for (int ky = 0; ky < patch; ky++) {
                            int in = (channel * side + py * patch + ky) * side + px * patch;
                            System.arraycopy(pixels, in, rows, out, patch);
                            out += patch;
                        }
                    }
                }
            }
        }
        return rows;
    }

    void close() {
        classAndPositionTable.close();
    }
}
