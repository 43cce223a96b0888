package dev.aperture.models.bert;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.LayerNorm;
import dev.aperture.models.transformer.WeightLoader;

import java.util.Arrays;

/**
 * {@code embeddings}: {@code LayerNorm(word[id] + tokenType[0] + position[p])}. Every token is of type 0: a sentence
 * embedder encodes one segment per text.
 *
 * <p>Reports {@code embeddings_sum} (before the norm) and {@code embeddings_ln} (the encoder's input) to the
 * call's tap.
 */
final class BertEmbeddings {
    private final Backend backend;
    private final Matrix wordEmbeddings;
    private final Matrix positionEmbeddings;
    private final Matrix tokenTypeZeroEmbedding;
    private final LayerNorm layerNorm;

    private BertEmbeddings(Backend backend, Matrix wordEmbeddings, Matrix positionEmbeddings,
                           Matrix tokenTypeZeroEmbedding, LayerNorm layerNorm) {
        this.backend = backend;
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.tokenTypeZeroEmbedding = tokenTypeZeroEmbedding;
        this.layerNorm = layerNorm;
    }

    static BertEmbeddings load(WeightLoader weights, BertTensorNames names, BertConfig config,
                               EncoderConfig encoderConfig) {
        int hidden = config.hiddenSize();
        String hiddenField = encoderConfig.hiddenField();
        Matrix words = weights.table(names.name(BertTensorNames.WORD_EMBEDDINGS), config.vocabSize(), hidden,
                "vocab_size " + config.vocabSize() + ", " + hiddenField);
        Matrix positions = weights.table(names.name(BertTensorNames.POSITION_EMBEDDINGS),
                config.maxPositionEmbeddings(), hidden,
                "max_position_embeddings " + config.maxPositionEmbeddings() + ", " + hiddenField);
        float[] tokenTypes = weights.floats(names.name(BertTensorNames.TOKEN_TYPE_EMBEDDINGS),
                "type_vocab_size " + config.typeVocabSize() + ", " + hiddenField, config.typeVocabSize(), hidden);
        Matrix tokenTypeZero = weights.backend().upload(Arrays.copyOf(tokenTypes, hidden), 1, hidden);
        return new BertEmbeddings(weights.backend(), words, positions, tokenTypeZero,
                LayerNorm.load(weights, names.name(BertTensorNames.EMBEDDINGS_LAYER_NORM), encoderConfig));
    }

    /** Writes the embeddings of {@code flatIds} (the batch's ids, row-major) into {@code act.hidden()}. */
    void forward(int[] flatIds, Activations act) {
        Matrix sum = act.embeddings();
        backend.gatherRows(wordEmbeddings, flatIds, sum);
        backend.addRowsPeriodic(sum, tokenTypeZeroEmbedding, 1);
        backend.addRowsPeriodic(sum, positionEmbeddings, act.layout().seqLen());
        act.tap("embeddings_sum", sum);
        layerNorm.apply(sum, act.hidden());
        act.tap("embeddings_ln", act.hidden());
    }

    void close() {
        wordEmbeddings.close();
        positionEmbeddings.close();
        tokenTypeZeroEmbedding.close();
        layerNorm.close();
    }
}
