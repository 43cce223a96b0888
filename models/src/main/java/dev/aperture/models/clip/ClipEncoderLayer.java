package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/**
 * One pre-norm transformer block: {@code h = h + attention(layer_norm1(h))}, then {@code h = h + mlp(layer_norm2(h))}.
 */
final class ClipEncoderLayer {
    private final Backend backend;
    private final LayerNorm layerNorm1;
    private final ClipAttention selfAttention;
    private final LayerNorm layerNorm2;
    private final ClipMlp mlp;

    private ClipEncoderLayer(Backend backend, LayerNorm layerNorm1, ClipAttention selfAttention, LayerNorm layerNorm2,
                             ClipMlp mlp) {
        this.backend = backend;
        this.layerNorm1 = layerNorm1;
        this.selfAttention = selfAttention;
        this.layerNorm2 = layerNorm2;
        this.mlp = mlp;
    }

    static ClipEncoderLayer load(WeightLoader weights, String prefix, EncoderShape shape) {
        return new ClipEncoderLayer(weights.backend(),
                LayerNorm.load(weights, prefix + ".layer_norm1", shape),
                ClipAttention.load(weights, prefix + ".self_attn", shape),
                LayerNorm.load(weights, prefix + ".layer_norm2", shape),
                ClipMlp.load(weights, prefix + ".mlp", shape));
    }

    /** Updates {@code hidden} in place. */
    void forward(Matrix hidden, SequenceLayout layout) {
        try (Matrix normalized = layerNorm1.apply(hidden);
             Matrix attended = selfAttention.forward(normalized, layout)) {
            backend.add(hidden, attended);
        }
        try (Matrix normalized = layerNorm2.apply(hidden);
             Matrix transformed = mlp.forward(normalized)) {
            backend.add(hidden, transformed);
        }
    }

    void close() {
        layerNorm1.close();
        layerNorm2.close();
    }
}
