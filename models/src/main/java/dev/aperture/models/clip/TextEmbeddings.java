package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

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

    /** A new {@code [batch·seqLen, hidden]} matrix: the embedding of each token plus that of its position. */
    Matrix forward(TextBatch batch) {
        Matrix embeddings = backend.allocate(batch.layout().rows(), tokenEmbedding.cols());
        backend.gatherRows(tokenEmbedding, batch.flatIds(), embeddings);
        backend.addRowsPeriodic(embeddings, positionEmbedding, batch.layout().seqLen());
        return embeddings;
    }

    void close() {
        tokenEmbedding.close();
        positionEmbedding.close();
    }
}
