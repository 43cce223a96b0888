package dev.aperture.models.clip;

import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/**
 * Multi-head self-attention ({@code self_attn}): project to queries, keys and values, attend per head with scores
 * scaled by 1/√headDim, and project the heads' concatenated outputs back ({@code out_proj}).
 */
final class ClipAttention {
    private final Backend backend;
    private final LinearWeights queryProjection;
    private final LinearWeights keyProjection;
    private final LinearWeights valueProjection;
    private final LinearWeights outputProjection;
    private final EncoderShape shape;

    private ClipAttention(Backend backend, LinearWeights queryProjection, LinearWeights keyProjection,
                          LinearWeights valueProjection, LinearWeights outputProjection, EncoderShape shape) {
        this.backend = backend;
        this.queryProjection = queryProjection;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.outputProjection = outputProjection;
        this.shape = shape;
    }

    static ClipAttention load(WeightLoader weights, String prefix, EncoderShape shape) {
        int hidden = shape.hiddenSize();
        String why = shape.hiddenField();
        return new ClipAttention(weights.backend(),
                weights.linear(prefix + ".q_proj", true, hidden, hidden, why),
                weights.linear(prefix + ".k_proj", true, hidden, hidden, why),
                weights.linear(prefix + ".v_proj", true, hidden, hidden, why),
                weights.linear(prefix + ".out_proj", true, hidden, hidden, why),
                shape);
    }

    /** A new matrix: attention over {@code x}'s sequences, laid out as {@code layout} says. */
    Matrix forward(Matrix x, SequenceLayout layout) {
        AttentionSpec spec = new AttentionSpec(layout.batch(), layout.seqLen(), shape.numHeads(), shape.headDim(),
                (float) (1.0 / Math.sqrt(shape.headDim())), layout.causal(), layout.keyLengths());
        try (Matrix queries = NewMatrices.linear(backend, x, queryProjection);
             Matrix keys = NewMatrices.linear(backend, x, keyProjection);
             Matrix values = NewMatrices.linear(backend, x, valueProjection);
             Matrix context = backend.allocate(x.rows(), shape.hiddenSize())) {
            backend.attention(queries, keys, values, spec, context);
            return NewMatrices.linear(backend, context, outputProjection);
        }
    }
}
