package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/**
 * One transformer encoder layer: self-attention then an MLP, each a residual branch with a layer norm, placed as
 * the model's {@link NormPlacement} says.
 */
final class EncoderBlock {
    private final Backend backend;
    private final NormPlacement normPlacement;
    private final LayerNorm attentionNorm;
    private final MultiHeadAttention attention;
    private final LayerNorm mlpNorm;
    private final Mlp mlp;
    private final String attentionNormTapName;
    private final String mlpNormTapName;
    private final String outputTapName;

    private EncoderBlock(Backend backend, NormPlacement normPlacement, LayerNorm attentionNorm,
                         MultiHeadAttention attention, LayerNorm mlpNorm, Mlp mlp, String tapPrefix) {
        this.backend = backend;
        this.normPlacement = normPlacement;
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.mlpNorm = mlpNorm;
        this.mlp = mlp;
        this.attentionNormTapName = tapPrefix + "attn_ln";
        this.mlpNormTapName = tapPrefix + "mlp_ln";
        this.outputTapName = tapPrefix + "out";
    }

    /** Layer {@code index}, named as {@code names} says; loaded in checkpoint order, so errors follow it. */
    static EncoderBlock load(WeightLoader weights, BlockTensorNames names, EncoderConfig config, int index) {
        String tapPrefix = "layer" + index + "_";
        MultiHeadAttention attention = MultiHeadAttention.load(weights, names, config, tapPrefix);
        LayerNorm attentionNorm = LayerNorm.load(weights, names.attentionNorm(), config);
        Mlp mlp = Mlp.load(weights, names.mlpUp(), names.mlpDown(), config, tapPrefix);
        LayerNorm mlpNorm = LayerNorm.load(weights, names.mlpNorm(), config);
        return new EncoderBlock(weights.backend(), config.normPlacement(), attentionNorm, attention, mlpNorm, mlp,
                tapPrefix);
    }

    /** The name {@link ActivationTap} sees layer {@code index}'s output under. */
    static String outputTapName(int index) {
        return "layer" + index + "_out";
    }

    /** Updates {@code act.hidden()} in place. */
    void forward(Activations act) {
        switch (normPlacement) {
            case PRE_NORM -> forwardPreNorm(act);
            case POST_NORM -> forwardPostNorm(act);
        }
        act.tap(outputTapName, act.hidden());
    }

    /**
     * {@code h = h + Attention(LN₁(h))}, then {@code h = h + MLP(LN₂(h))}. The stream passes through the
     * sublayer-output matrix in between, since each sum is written beside its addend rather than over it.
     */
    private void forwardPreNorm(Activations act) {
        Matrix h = act.hidden();
        Matrix afterAttention = act.sublayerOutput();
        attentionNorm.apply(h, act.normalized());
        act.tap(attentionNormTapName, act.normalized());
        attention.forward(act.normalized(), act, h, afterAttention);
        mlpNorm.apply(afterAttention, act.normalized());
        act.tap(mlpNormTapName, act.normalized());
        mlp.forward(act.normalized(), act, afterAttention, h);
    }

    /** {@code h = LN₁(h + Attention(h))}, then {@code h = LN₂(h + MLP(h))}. */
    private void forwardPostNorm(Activations act) {
        Matrix h = act.hidden();
        attention.forward(h, act, h, act.sublayerOutput());
        attentionNorm.apply(act.sublayerOutput(), h);
        act.tap(attentionNormTapName, h);
        mlp.forward(h, act, h, act.sublayerOutput());
        mlpNorm.apply(act.sublayerOutput(), h);
    }

    void close() {
        attentionNorm.close();
        mlpNorm.close();
    }
}
