package dev.aperture.models.transformer;

import dev.aperture.core.backend.Matrix;

/**
 * The debug hook of a forward pass: sees each named intermediate result as it is computed (layer-by-layer tests
 * against a reference, debugging). A plain forward pass uses {@link #NONE}, which copies nothing, so encoding pays
 * no transfers.
 *
 * <p>Names every encoder reports, for each layer N from 0: {@code layerN_attn_ln} (the output of the attention
 * sublayer's layer norm: before attention in a pre-norm block, after the residual add in a post-norm one),
 * {@code layerN_query} (the query projection), {@code layerN_mlp_ln} (pre-norm only: the MLP's input norm),
 * {@code layerN_<activation>} (the MLP's activated intermediate, named by the config's {@code hidden_act}, e.g.
 * {@code layer0_gelu}) and {@code layerN_out} (the block's output). Models add their own names (embeddings,
 * final norms, pooled rows), listed where they report them.
 */
@FunctionalInterface
public interface ActivationTap {
    /** Looks at nothing. */
    ActivationTap NONE = (name, activation) -> {
    };

    /** {@code activation} is only valid during the call (the next block overwrites it); download it to keep it. */
    void tap(String name, Matrix activation);
}
