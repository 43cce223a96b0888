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
import dev.aperture.models.transformer.TokenEmbeddings;
import dev.aperture.models.transformer.WeightLoader;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's text transformer with its projection ({@code text_model} and {@code text_projection}): embeddings, a causal
 * pre-norm transformer, a final layer norm, the hidden state at the end-of-text token, projected into the shared space.
 *
 * <p>Besides the encoder's, it reports to the call's {@link ActivationTap}: {@code embeddings} (the encoder's
 * input), {@code final_layer_norm} ({@code last_hidden_state}) and {@code pooler_output}.
 */
final class TextTower {
    private static final String EMBEDDINGS = "embeddings";
    private static final String FINAL_LAYER_NORM = "final_layer_norm";
    private static final String POOLER_OUTPUT = "pooler_output";

    private final Backend backend;
    private final ClipConfig.TextConfig config;
    private final TokenEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNorm finalLayerNorm;
    private final LinearWeights textProjection;

    private TextTower(Backend backend, ClipConfig.TextConfig config, TokenEmbeddings embeddings, Encoder encoder,
                      LayerNorm finalLayerNorm, LinearWeights textProjection) {
        this.backend = backend;
        this.config = config;
        this.embeddings = embeddings;
        this.encoder = encoder;
        this.finalLayerNorm = finalLayerNorm;
        this.textProjection = textProjection;
    }

    static TextTower load(WeightLoader weights, ClipConfig config) {
        ClipConfig.TextConfig text = config.text();
        EncoderConfig encoderConfig = new EncoderConfig("text_config", text.hiddenSize(), text.intermediateSize(),
                text.numHiddenLayers(), text.numAttentionHeads(), text.layerNormEps(), text.activation(),
                NormPlacement.PRE_NORM, true);
        return new TextTower(weights.backend(), text,
                TokenEmbeddings.load(weights, "text_model.embeddings", "text_config", text.vocabSize(),
                        text.maxPositionEmbeddings(), text.hiddenSize()),
                Encoder.load(weights, encoderConfig, i -> ClipTensorNames.layer(ClipTensorNames.TEXT_ENCODER, i)),
                LayerNorm.load(weights, "text_model.final_layer_norm", encoderConfig),
                weights.linear("text_projection", false, config.projectionDim(), text.hiddenSize(),
                        "projection_dim " + config.projectionDim() + ", " + encoderConfig.hiddenField()));
    }

    /** {@code get_text_features}: one projected row per text; positions after the last end-of-text are skipped. */
    float[][] encode(int[][] ids, int[][] attentionMask) {
        if (ids.length == 0) {
            return new float[0][];
        }
        return forward(TextBatch.of(ids, attentionMask, config, false), ActivationTap.NONE);
    }

    /**
     * Runs the tower, downloading every hidden state too; with {@code allPositions}, every position is computed,
     * not just those up to the last pooled one.
     */
    TextOutputs forwardDetailed(int[][] ids, int[][] attentionMask, boolean allPositions) {
        if (ids.length == 0) {
            return new TextOutputs(0, 0, config.hiddenSize(), List.of(), new float[0], new float[0][], new float[0][]);
        }
        TextBatch batch = TextBatch.of(ids, attentionMask, config, allPositions);
        List<String> hiddenStates = encoder.hiddenStateTapNames(EMBEDDINGS);
        List<String> recorded = new ArrayList<>(hiddenStates);
        recorded.addAll(List.of(FINAL_LAYER_NORM, POOLER_OUTPUT));
        ActivationRecorder recorder = new ActivationRecorder(backend, recorded);
        float[][] textEmbeds = forward(batch, recorder);
        return new TextOutputs(batch.size(), batch.layout().seqLen(), config.hiddenSize(), recorder.get(hiddenStates),
                recorder.get(FINAL_LAYER_NORM), HostRows.split(recorder.get(POOLER_OUTPUT), batch.size()), textEmbeds);
    }

    /** Embeddings → causal pre-norm encoder → final layer norm → the end-of-text rows → text_projection. */
    private float[][] forward(TextBatch batch, ActivationTap tap) {
        try (Activations act = encoder.activations(batch.layout(), tap);
             Matrix pooled = backend.allocate(batch.size(), config.hiddenSize());
             Matrix projected = backend.allocate(batch.size(), textProjection.outFeatures())) {
            embeddings.forward(batch.flatIds(), batch.layout().seqLen(), act.hidden());
            act.tap(EMBEDDINGS, act.hidden());
            encoder.forward(act);
            finalLayerNorm.apply(act.hidden(), act.normalized());
            act.tap(FINAL_LAYER_NORM, act.normalized());
            backend.gatherRows(act.normalized(), batch.poolRows(), pooled);
            act.tap(POOLER_OUTPUT, pooled);
            backend.linear(pooled, textProjection, projected);
            return HostRows.split(backend.download(projected), batch.size());
        }
    }

    void close() {
        embeddings.close();
        encoder.close();
        finalLayerNorm.close();
    }
}
