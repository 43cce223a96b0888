package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.PatchEmbedding;
import dev.aperture.models.transformer.WeightLoader;

/**
 * Patch embedding, class token and position embedding ({@code vision_model.embeddings}).
 *
 * <p>The patch convolution has no bias, so the one all-zero row {@link PatchEmbedding} leaves in front of each
 * image's patches stays zero; the position table then adds {@code class_embedding + position[0]} there and
 * {@code position[t]} to patch t, so the whole embedding is one linear op and one periodic add.
 */
final class VisionEmbeddings {
    private final Backend backend;
    private final PatchEmbedding patchEmbedding;
    private final Matrix classAndPositionTable;
    private final int numPositions;

    private VisionEmbeddings(Backend backend, PatchEmbedding patchEmbedding, Matrix classAndPositionTable,
                             int numPositions) {
        this.backend = backend;
        this.patchEmbedding = patchEmbedding;
        this.classAndPositionTable = classAndPositionTable;
        this.numPositions = numPositions;
    }

    static VisionEmbeddings load(WeightLoader weights, String prefix, ClipConfig.VisionConfig config) {
        int hidden = config.hiddenSize();
        int positions = config.numPositions();
        String hiddenField = "vision_config.hidden_size " + hidden;
        PatchEmbedding patchEmbedding = PatchEmbedding.load(weights, prefix + ".patch_embedding", false,
                "vision_config", hidden, config.numChannels(), config.imageSize(), config.patchSize(), 1);
        float[] classEmbedding = weights.floats(prefix + ".class_embedding", hiddenField, hidden);
        float[] table = weights.floats(prefix + ".position_embedding.weight",
                "(image_size " + config.imageSize() + " / patch_size " + config.patchSize() + ")² + 1 = " + positions
                        + " positions, " + hiddenField, positions, hidden);
        for (int c = 0; c < hidden; c++) {
            table[c] += classEmbedding[c];
        }
        return new VisionEmbeddings(weights.backend(), patchEmbedding,
                weights.backend().upload(table, positions, hidden), positions);
    }

    /** See {@link PatchEmbedding#checkPixels}. */
    void checkPixels(float[][] pixelValues) {
        patchEmbedding.checkPixels(pixelValues);
    }

    /** Writes into {@code out} ({@code [batch·positions, hidden]}) the class token then the patches, with positions. */
    void forward(float[][] pixelValues, Matrix out) {
        patchEmbedding.forward(pixelValues, out);
        backend.addRowsPeriodic(out, classAndPositionTable, numPositions);
    }

    void close() {
        classAndPositionTable.close();
    }
}
