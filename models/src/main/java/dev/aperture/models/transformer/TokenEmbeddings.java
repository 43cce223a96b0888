package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/**
 * A text transformer's input: each token's learned embedding plus its position's ({@code token_embedding} and
 * {@code position_embedding}, as CLIP and SigLIP name them).
 */
public final class TokenEmbeddings {
    private final Backend backend;
    private final Matrix tokenEmbedding;
    private final Matrix positionEmbedding;

    private TokenEmbeddings(Backend backend, Matrix tokenEmbedding, Matrix positionEmbedding) {
        this.backend = backend;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
    }

    /**
     * {@code prefix.token_embedding.weight} ({@code [vocab_size, hidden]}) and
     * {@code prefix.position_embedding.weight} ({@code [max_position_embeddings, hidden]}).
     */
    public static TokenEmbeddings load(WeightLoader weights, String prefix, String configKey, int vocabSize,
                                       int maxPositions, int hiddenSize) {
        String hidden = configKey + ".hidden_size " + hiddenSize;
        return new TokenEmbeddings(weights.backend(),
                weights.table(prefix + ".token_embedding.weight", vocabSize, hiddenSize,
                        configKey + ".vocab_size " + vocabSize + ", " + hidden),
                weights.table(prefix + ".position_embedding.weight", maxPositions, hiddenSize,
                        configKey + ".max_position_embeddings " + maxPositions + ", " + hidden));
    }

    /**
     * Writes into {@code out} ({@code [batch·seqLen, hidden]}) the embedding of each id plus that of its position;
     * {@code flatIds} holds the batch's sequences one after another, each {@code seqLen} long, ids already checked.
     */
    public void forward(int[] flatIds, int seqLen, Matrix out) {
        backend.gatherRows(tokenEmbedding, flatIds, out);
        backend.addRowsPeriodic(out, positionEmbedding, seqLen);
    }

    public void close() {
        tokenEmbedding.close();
        positionEmbedding.close();
    }
}
