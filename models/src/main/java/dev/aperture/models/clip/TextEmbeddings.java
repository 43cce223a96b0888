package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.WeightLoader;

/** Token embedding plus learned position embedding ({@code text_model.embeddings}). */
final class TextEmbeddings {
    private final Backend backend;
    private final Matrix tokenEmbedding;
    private final Matrix positionEmbedding;

    private TextEmbeddings(Backend backend, Matrix tokenEmbedding, Matrix positionEmbedding) {
        this.backend = backend;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
    }

    static TextEmbeddings load(WeightLoader weights, String prefix, ClipConfig.TextConfig config) {
        int hidden = config.hiddenSize();
        return new TextEmbeddings(weights.backend(),
                weights.table(prefix + ".token_embedding.weight", config.vocabSize(), hidden,
                        "text_config.vocab_size " + config.vocabSize() + ", text_config.hidden_size " + hidden),
                weights.table(prefix + ".position_embedding.weight", config.maxPositionEmbeddings(), hidden,
                        "text_config.max_position_embeddings " + config.maxPositionEmbeddings()
                                + ", text_config.hidden_size " + hidden));
    }

    /** Writes into {@code out} ({@code [batch·seqLen, hidden]}) each token's embedding plus its position's. */
    void forward(TextBatch batch, Matrix out) {
        backend.gatherRows(tokenEmbedding, batch.flatIds(), out);
        backend.addRowsPeriodic(out, positionEmbedding, batch.layout().seqLen());
    }

    void close() {
        tokenEmbedding.close();
        positionEmbedding.close();
    }
}
