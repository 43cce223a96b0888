package dev.aperture.models.clip;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

import java.util.List;

/**
 * CLIP's vision transformer with its projection ({@code vision_model} and {@code visual_projection}): patch and
 * position embeddings, a layer norm before the encoder, a pre-norm transformer, then the class token's output,
 * layer-normed and projected into the shared space.
 */
final class VisionTower {
    private final Backend backend;
    private final ClipConfig.VisionConfig config;
    private final VisionEmbeddings embeddings;
    private final LayerNorm preLayerNorm;
    private final ClipEncoder encoder;
    private final LayerNorm postLayerNorm;
    private final LinearWeights visualProjection;

    private VisionTower(Backend backend, ClipConfig.VisionConfig config, VisionEmbeddings embeddings,
                        LayerNorm preLayerNorm, ClipEncoder encoder, LayerNorm postLayerNorm,
                        LinearWeights visualProjection) {
        this.backend = backend;
        this.config = config;
        this.embeddings = embeddings;
        this.preLayerNorm = preLayerNorm;
        this.encoder = encoder;
        this.postLayerNorm = postLayerNorm;
        this.visualProjection = visualProjection;
    }

    static VisionTower load(WeightLoader weights, ClipConfig config) {
        ClipConfig.VisionConfig vision = config.vision();
        EncoderShape shape = EncoderShape.of(vision);
        return new VisionTower(weights.backend(), vision,
                VisionEmbeddings.load(weights, "vision_model.embeddings", vision),
                LayerNorm.load(weights, "vision_model.pre_layrnorm", shape), // sic: Hugging Face's spelling
                ClipEncoder.load(weights, "vision_model.encoder", shape),
                LayerNorm.load(weights, "vision_model.post_layernorm", shape),
                weights.linear("visual_projection", false, config.projectionDim(), vision.hiddenSize(),
                        "projection_dim " + config.projectionDim() + ", " + shape.hiddenField()));
    }

    /** Runs the tower on preprocessed images (each channels × image_size × image_size, CHW). */
    VisionOutputs forward(float[][] pixelValues, boolean detailed) {
        int positions = config.numPositions();
        if (pixelValues.length == 0) {
            return new VisionOutputs(0, positions, config.hiddenSize(), List.of(), new float[0], new float[0][],
                    new float[0][]);
        }
        checkPixels(pixelValues);
        SequenceLayout layout = new SequenceLayout(pixelValues.length, positions, false, null);
        HiddenStateRecorder hiddenStates = new HiddenStateRecorder(backend, detailed);
        try (Matrix patchEmbeddings = embeddings.forward(pixelValues);
             Matrix hidden = preLayerNorm.apply(patchEmbeddings)) {
            hiddenStates.accept(hidden);
            encoder.forward(hidden, layout, hiddenStates);
            try (Matrix classTokens = NewMatrices.gatherRows(backend, hidden, classRows(pixelValues.length));
                 Matrix pooled = postLayerNorm.apply(classTokens);
                 Matrix projected = NewMatrices.linear(backend, pooled, visualProjection)) {
                return new VisionOutputs(pixelValues.length, positions, config.hiddenSize(), hiddenStates.states(),
                        hiddenStates.copyIfRecording(hidden),
                        HostRows.split(backend.download(pooled), pixelValues.length),
                        HostRows.split(backend.download(projected), pixelValues.length));
            }
        }
    }

    private int[] classRows(int batch) {
        int[] rows = new int[batch];
        for (int image = 0; image < batch; image++) {
            rows[image] = image * config.numPositions();
        }
        return rows;
    }

    private void checkPixels(float[][] pixelValues) {
        for (int image = 0; image < pixelValues.length; image++) {
            if (pixelValues[image] == null || pixelValues[image].length != config.pixelCount()) {
                throw new InputException("Image " + image + " has "
                        + (pixelValues[image] == null ? "no" : String.valueOf(pixelValues[image].length))
                        + " pixel values, expected " + config.pixelCount() + " (" + config.numChannels() + " x "
                        + config.imageSize() + " x " + config.imageSize() + ", channels first)");
            }
        }
    }

    void close() {
        embeddings.close();
        preLayerNorm.close();
        encoder.close();
        postLayerNorm.close();
    }
}
