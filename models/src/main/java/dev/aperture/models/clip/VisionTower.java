package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.HostRows;
import dev.aperture.models.transformer.ActivationRecorder;
import dev.aperture.models.transformer.ActivationTap;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.Encoder;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.LayerNorm;
import dev.aperture.models.transformer.NormPlacement;
import dev.aperture.models.transformer.SequenceLayout;
import dev.aperture.models.transformer.WeightLoader;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's vision transformer with its projection ({@code vision_model} and {@code visual_projection}): patch and
 * position embeddings, a layer norm before the encoder, a pre-norm transformer, then the class token's output,
 * layer-normed and projected into the shared space.
 *
 * <p>Besides the encoder's, it reports to the call's {@link ActivationTap}: {@code pre_layrnorm} (the encoder's
 * input) and {@code pooler_output}.
 */
final class VisionTower {
    private static final String PRE_LAYRNORM = "pre_layrnorm";
    private static final String POOLER_OUTPUT = "pooler_output";

    private final Backend backend;
    private final ClipConfig.VisionConfig config;
    private final VisionEmbeddings embeddings;
    private final LayerNorm preLayerNorm;
    private final Encoder encoder;
    private final LayerNorm postLayerNorm;
    private final LinearWeights visualProjection;

    private VisionTower(Backend backend, ClipConfig.VisionConfig config, VisionEmbeddings embeddings,
                        LayerNorm preLayerNorm, Encoder encoder, LayerNorm postLayerNorm,
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
        EncoderConfig encoderConfig = new EncoderConfig("vision_config", vision.hiddenSize(),
                vision.intermediateSize(), vision.numHiddenLayers(), vision.numAttentionHeads(), vision.layerNormEps(),
                vision.activation(), NormPlacement.PRE_NORM, false);
        return new VisionTower(weights.backend(), vision,
                VisionEmbeddings.load(weights, "vision_model.embeddings", vision),
                LayerNorm.load(weights, "vision_model.pre_layrnorm", encoderConfig), // sic: Hugging Face's spelling
                Encoder.load(weights, encoderConfig, i -> ClipTensorNames.layer(ClipTensorNames.VISION_ENCODER, i)),
                LayerNorm.load(weights, "vision_model.post_layernorm", encoderConfig),
                weights.linear("visual_projection", false, config.projectionDim(), vision.hiddenSize(),
                        "projection_dim " + config.projectionDim() + ", " + encoderConfig.hiddenField()));
    }

    /**
     * {@code get_image_features} of preprocessed images (each channels × image_size × image_size, CHW): one
     * projected row per image.
     */
    float[][] encode(float[][] pixelValues) {
        embeddings.checkPixels(pixelValues);
        return pixelValues.length == 0 ? new float[0][] : forward(pixelValues, ActivationTap.NONE);
    }

    /** Runs the tower, downloading every hidden state too. */
    VisionOutputs forwardDetailed(float[][] pixelValues) {
        embeddings.checkPixels(pixelValues);
        int images = pixelValues.length;
        if (images == 0) {
            return new VisionOutputs(0, config.numPositions(), config.hiddenSize(), List.of(), new float[0],
                    new float[0][], new float[0][]);
        }
        List<String> hiddenStates = encoder.hiddenStateTapNames(PRE_LAYRNORM);
        List<String> recorded = new ArrayList<>(hiddenStates);
        recorded.add(POOLER_OUTPUT);
        ActivationRecorder recorder = new ActivationRecorder(backend, recorded);
        float[][] imageEmbeds = forward(pixelValues, recorder);
        return new VisionOutputs(images, config.numPositions(), config.hiddenSize(), recorder.get(hiddenStates),
                recorder.get(hiddenStates.getLast()), HostRows.split(recorder.get(POOLER_OUTPUT), images),
                imageEmbeds);
    }

    /** Embeddings → pre-layer-norm → pre-norm encoder → the class token → post-layer-norm → visual_projection. */
    private float[][] forward(float[][] pixelValues, ActivationTap tap) {
        int images = pixelValues.length;
        try (Activations act = encoder.activations(SequenceLayout.unpadded(images, config.numPositions()), tap);
             Matrix classTokens = backend.allocate(images, config.hiddenSize());
             Matrix pooled = backend.allocate(images, config.hiddenSize());
             Matrix projected = backend.allocate(images, visualProjection.outFeatures())) {
            embeddings.forward(pixelValues, act.embeddings());
            preLayerNorm.apply(act.embeddings(), act.hidden());
            act.tap(PRE_LAYRNORM, act.hidden());
            encoder.forward(act);
            backend.gatherRows(act.hidden(), classRows(images), classTokens);
            postLayerNorm.apply(classTokens, pooled);
            act.tap(POOLER_OUTPUT, pooled);
            backend.linear(pooled, visualProjection, projected);
            return HostRows.split(backend.download(projected), images);
        }
    }

    /** Row of each image's class token (position 0) in the stacked hidden states. */
    private int[] classRows(int images) {
        int[] rows = new int[images];
        for (int image = 0; image < images; image++) {
            rows[image] = image * config.numPositions();
        }
        return rows;
    }

    void close() {
        embeddings.close();
        preLayerNorm.close();
        encoder.close();
        postLayerNorm.close();
    }
}
