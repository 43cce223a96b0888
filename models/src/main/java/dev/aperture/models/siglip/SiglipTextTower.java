package dev.aperture.models.siglip;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.ActivationTap;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.Encoder;
import dev.aperture.models.transformer.HostRows;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.LayerNorm;
import dev.aperture.models.transformer.SequenceLayout;
import dev.aperture.models.transformer.TokenEmbeddings;
import dev.aperture.models.transformer.WeightLoader;

import java.util.Arrays;
import java.util.List;

/**
 * SigLIP's text transformer ({@code text_model}): token plus position embeddings, a pre-norm encoder with no mask at
 * all (neither causal nor padding: SigLIP was trained attending to its padding), the final layer norm, the hidden
 * state at the <em>last</em> position, and the {@code head} linear into the shared space.
 *
 * <p>Because the last position pools the text and padding is attended to, the embedding depends on how far a text
 * is padded: texts must be padded to {@code max_length} as in training, which {@code SiglipModel} always does.
 *
 * <p>Reports to the call's {@link ActivationTap}, besides the encoder's names: {@code embeddings},
 * {@code final_layer_norm} ({@code last_hidden_state}) and {@code pooler_output} (the last position's row).
 */
final class SiglipTextTower {
    static final String EMBEDDINGS = "embeddings";
    static final String FINAL_LAYER_NORM = "final_layer_norm";
    static final String POOLER_OUTPUT = "pooler_output";

    private final Backend backend;
    private final SiglipConfig.TextConfig config;
    private final TokenEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNorm finalLayerNorm;
    private final LinearWeights head;

    private SiglipTextTower(Backend backend, SiglipConfig.TextConfig config, TokenEmbeddings embeddings,
                            Encoder encoder, LayerNorm finalLayerNorm, LinearWeights head) {
        this.backend = backend;
        this.config = config;
        this.embeddings = embeddings;
        this.encoder = encoder;
        this.finalLayerNorm = finalLayerNorm;
        this.head = head;
    }

    static SiglipTextTower load(WeightLoader weights, SiglipConfig.TextConfig config) {
        EncoderConfig encoderConfig = config.encoder();
        String tower = SiglipTensorNames.TEXT;
        return new SiglipTextTower(weights.backend(), config,
                TokenEmbeddings.load(weights, tower + ".embeddings", "text_config", config.vocabSize(),
                        config.maxPositionEmbeddings(), config.hiddenSize()),
                Encoder.load(weights, encoderConfig, i -> SiglipTensorNames.layer(tower, i)),
                LayerNorm.load(weights, tower + ".final_layer_norm", encoderConfig),
                weights.linear(tower + ".head", true, config.projectionSize(), config.hiddenSize(),
                        "text_config.projection_size " + config.projectionSize() + ", "
                                + encoderConfig.hiddenField()));
    }

    /** The tap names of Hugging Face's {@code text_model(...).hidden_states}. */
    List<String> hiddenStateTapNames() {
        return encoder.hiddenStateTapNames(EMBEDDINGS);
    }

    /**
     * {@code get_text_features}: one {@code projection_size} row per text, not normalized. {@code ids} is a
     * rectangular batch, every row as the tokenizer padded it (to {@code max_length}).
     */
    float[][] encode(int[][] ids, ActivationTap tap) {
        if (ids.length == 0) {
            return new float[0][];
        }
        int seqLen = checkIds(ids);
        int texts = ids.length;
        try (Activations act = encoder.activations(SequenceLayout.unpadded(texts, seqLen), tap);
             Matrix pooled = backend.allocate(texts, config.hiddenSize());
             Matrix projected = backend.allocate(texts, config.projectionSize())) {
            forward(flatten(ids, seqLen), act, pooled, projected);
            return HostRows.split(backend.download(projected), texts);
        }
    }

    /** Embeddings → unmasked pre-norm encoder → final layer norm → the last position → head. */
    private void forward(int[] flatIds, Activations act, Matrix pooled, Matrix projected) {
        int seqLen = act.layout().seqLen();
        embeddings.forward(flatIds, seqLen, act.hidden());
        act.tap(EMBEDDINGS, act.hidden());
        encoder.forward(act);
        finalLayerNorm.apply(act.hidden(), act.normalized());
        act.tap(FINAL_LAYER_NORM, act.normalized());
        backend.gatherRows(act.normalized(), lastRowOfEachText(act.layout().batch(), seqLen), pooled);
        act.tap(POOLER_OUTPUT, pooled);
        backend.linear(pooled, head, projected);
    }

    private static int[] lastRowOfEachText(int texts, int seqLen) {
        int[] rows = new int[texts];
        Arrays.setAll(rows, text -> text * seqLen + seqLen - 1);
        return rows;
    }

    private static int[] flatten(int[][] ids, int seqLen) {
        int[] flat = new int[ids.length * seqLen];
        for (int text = 0; text < ids.length; text++) {
            System.arraycopy(ids[text], 0, flat, text * seqLen, seqLen);
        }
        return flat;
    }

    /** Checks every id and that the batch is rectangular; returns the common length. */
    private int checkIds(int[][] ids) {
        int length = ids[0] == null ? 0 : ids[0].length;
        if (length == 0) {
            throw new InputException("Text 0 has no token ids; SigLIP texts are padded to max_length");
        }
        if (length > config.maxPositionEmbeddings()) {
            throw new InputException("Texts have " + length + " token ids, more than the model's "
                    + config.maxPositionEmbeddings() + " positions (text_config.max_position_embeddings)");
        }
        for (int text = 0; text < ids.length; text++) {
            if (ids[text] == null || ids[text].length != length) {
                throw new InputException("Text " + text + " has " + (ids[text] == null ? 0 : ids[text].length)
                        + " token ids but text 0 has " + length + "; pad the batch to one length");
            }
            for (int t = 0; t < length; t++) {
                if (ids[text][t] < 0 || ids[text][t] >= config.vocabSize()) {
                    throw new InputException("Token id " + ids[text][t] + " of text " + text + " at position " + t
                            + " is outside the vocabulary (text_config.vocab_size " + config.vocabSize() + ")");
                }
            }
        }
        return length;
    }

    void close() {
        embeddings.close();
        encoder.close();
        finalLayerNorm.close();
    }
}
