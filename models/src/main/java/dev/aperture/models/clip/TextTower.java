package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

import java.util.List;

/**
 * CLIP's text transformer with its projection ({@code text_model} and {@code text_projection}): embeddings, a causal
 * pre-norm transformer, a final layer norm, the hidden state at the end-of-text token, projected into the shared space.
 */
final class TextTower {
    private final Backend backend;
    private final ClipConfig.TextConfig config;
    private final TextEmbeddings embeddings;
    private final ClipEncoder encoder;
    private final LayerNorm finalLayerNorm;
    private final LinearWeights textProjection;

    private TextTower(Backend backend, ClipConfig.TextConfig config, TextEmbeddings embeddings, ClipEncoder encoder,
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
        EncoderShape shape = EncoderShape.of(text);
        return new TextTower(weights.backend(), text,
                TextEmbeddings.load(weights, "text_model.embeddings", text),
                ClipEncoder.load(weights, "text_model.encoder", shape),
                LayerNorm.load(weights, "text_model.final_layer_norm", shape),
                weights.linear("text_projection", false, config.projectionDim(), text.hiddenSize(),
                        "projection_dim " + config.projectionDim() + ", " + shape.hiddenField()));
    }

    /**
     * Runs the tower. With {@code detailed}, every hidden state is downloaded too; with {@code allPositions}, every
     * position is computed, not just those up to the last pooled one.
     */
    TextOutputs forward(int[][] ids, int[][] attentionMask, boolean allPositions, boolean detailed) {
        if (ids.length == 0) {
            return new TextOutputs(0, 0, config.hiddenSize(), List.of(), new float[0], new float[0][], new float[0][]);
        }
        TextBatch batch = TextBatch.of(ids, attentionMask, config, allPositions);
        HiddenStateRecorder hiddenStates = new HiddenStateRecorder(backend, detailed);
        try (Matrix hidden = embeddings.forward(batch)) {
            hiddenStates.accept(hidden);
            encoder.forward(hidden, batch.layout(), hiddenStates);
            try (Matrix lastHiddenState = finalLayerNorm.apply(hidden);
                 Matrix pooled = NewMatrices.gatherRows(backend, lastHiddenState, batch.poolRows());
                 Matrix projected = NewMatrices.linear(backend, pooled, textProjection)) {
                return new TextOutputs(ids.length, batch.layout().seqLen(), config.hiddenSize(), hiddenStates.states(),
                        hiddenStates.copyIfRecording(lastHiddenState),
                        HostRows.split(backend.download(pooled), ids.length),
                        HostRows.split(backend.download(projected), ids.length));
            }
        }
    }

    void close() {
        embeddings.close();
        encoder.close();
        finalLayerNorm.close();
    }
}
