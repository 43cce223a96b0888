package dev.aperture.models.transformer;

import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import java.util.List;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017): project to queries, keys and values, attend
 * per head with scores scaled by 1/√headDim, and project the heads' concatenated outputs back. Masks: causal when
 * the config says so (CLIP's text tower), padded keys whenever the batch has padding, else none.
 */
final class MultiHeadAttention {
    private final Backend backend;
    private final LinearWeights queryProjection;
    private final LinearWeights keyProjection;
    private final LinearWeights valueProjection;
    private final LinearWeights outputProjection;
    private final int numHeads;
    private final int headDim;
    private final boolean causal;
    private final String queryTapName;

    private MultiHeadAttention(Backend backend, LinearWeights queryProjection, LinearWeights keyProjection,
                               LinearWeights valueProjection, LinearWeights outputProjection, EncoderConfig config,
                               String queryTapName) {
        this.backend = backend;
        this.queryProjection = queryProjection;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.outputProjection = outputProjection;
        this.numHeads = config.numHeads();
        this.headDim = config.headDim();
        this.causal = config.causal();
        this.queryTapName = queryTapName;
    }

    static MultiHeadAttention load(WeightLoader weights, BlockTensorNames names, EncoderConfig config,
                                   String tapPrefix) {
        int hidden = config.hiddenSize();
        String why = config.hiddenField();
        return new MultiHeadAttention(weights.backend(),
                weights.linear(names.query(), true, hidden, hidden, why),
                weights.linear(names.key(), true, hidden, hidden, why),
                weights.linear(names.value(), true, hidden, hidden, why),
                weights.linear(names.attentionOutput(), true, hidden, hidden, why),
                config, tapPrefix + "query");
    }

    /**
     * {@code out = residual + Attention(x)}: x's sequences, laid out as the call's batch says, attending to
     * themselves, and the result joining the residual stream. The three projections of x are one backend call.
     */
    void forward(Matrix x, Activations act, Matrix residual, Matrix out) {
        backend.linear(x, List.of(queryProjection, keyProjection, valueProjection),
                List.of(act.query(), act.key(), act.value()));
        act.tap(queryTapName, act.query());
        backend.attention(act.query(), act.key(), act.value(), spec(act.layout()), act.context());
        backend.linearAdd(act.context(), outputProjection, residual, out);
    }

    private AttentionSpec spec(SequenceLayout layout) {
        return new AttentionSpec(layout.batch(), layout.seqLen(), numHeads, headDim, (float) (1.0 / Math.sqrt(headDim)),
                causal, layout.keyLengths());
    }
}
