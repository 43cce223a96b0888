package dev.aperture.models.transformer;

/** Where an encoder block normalizes: the two layouts of the transformer literature. */
public enum NormPlacement {
    /**
     * Before each sublayer, inside the residual branch: {@code h = h + Sublayer(LayerNorm(h))} (GPT-2, ViT, CLIP,
     * SigLIP). The residual stream itself is never normalized, so the model adds its own final norm.
     */
    PRE_NORM,
    /**
     * After each residual add: {@code h = LayerNorm(h + Sublayer(h))} (the original Transformer, BERT).
     */
    POST_NORM
}
