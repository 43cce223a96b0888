package dev.aperture.models.siglip;

import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.LayerNorm;
import dev.aperture.models.transformer.Mlp;
import dev.aperture.models.transformer.WeightLoader;

import java.util.Arrays;

/**
 * SigLIP's multihead attention pooling head ({@code vision_model.head}, Zhai et al. 2022): a learned probe attends
 * over all of an image's patches, then a layer norm and an MLP are added residually; the result is the image
 * embedding.
 *
 * <p>{@code pooled = a + MLP(LN(a))} with {@code a = MultiheadAttention(query = probe, keys = values = patches)}.
 * The probe's query projection is the same for every image, so it is computed once, at load. The attention itself
 * runs on the backend's self-attention with the probe's query repeated at every patch position: every query row
 * of an image then holds the same result, and the head keeps the first. That costs {@code patches} times the
 * one-query attention, still a fraction of a percent of the tower (196² · 768 multiply-adds per image at
 * SigLIP-base, against 196 · 86M in the encoder), and needs no cross-attention operation in every backend.
 */
final class AttentionPoolingHead {
    private final Backend backend;
    /** {@code probe · W_qᵀ + b_q}, {@code [1, hidden]}. */
    private final Matrix probeQuery;
    private final LinearWeights keyProjection;
    private final LinearWeights valueProjection;
    private final LinearWeights outputProjection;
    private final LayerNorm layerNorm;
    private final Mlp mlp;
    private final EncoderConfig config;
    private final int numPatches;

    private AttentionPoolingHead(Backend backend, Matrix probeQuery, LinearWeights keyProjection,
                                 LinearWeights valueProjection, LinearWeights outputProjection, LayerNorm layerNorm,
                                 Mlp mlp, EncoderConfig config, int numPatches) {
        this.backend = backend;
        this.probeQuery = probeQuery;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.outputProjection = outputProjection;
        this.layerNorm = layerNorm;
        this.mlp = mlp;
        this.config = config;
        this.numPatches = numPatches;
    }

    /**
     * The head at {@code prefix}: {@code probe} ({@code [1, 1, hidden]}), {@code attention.in_proj_weight}
     * ({@code [3·hidden, hidden]}: queries', keys', values' projections stacked) and {@code in_proj_bias},
     * {@code attention.out_proj}, {@code layernorm}, {@code mlp.fc1}, {@code mlp.fc2}.
     */
    static AttentionPoolingHead load(WeightLoader weights, String prefix, EncoderConfig config, int numPatches) {
        Backend backend = weights.backend();
        int hidden = config.hiddenSize();
        String inProj = prefix + ".attention.in_proj_weight";
        String inBias = prefix + ".attention.in_proj_bias";
        String why = "3 x " + config.hiddenField();
        float[] probe = weights.floats(prefix + ".probe", config.hiddenField(), 1, 1, hidden);
        Matrix probeQuery;
        try (Matrix probeRow = backend.upload(probe, 1, hidden)) {
            LinearWeights queryProjection = backend.prepareLinear(
                    weights.slice(inProj, why, 0, hidden, 3L * hidden, hidden),
                    weights.slice(inBias, why, 0, hidden, 3L * hidden));
            probeQuery = backend.allocate(1, hidden);
            backend.linear(probeRow, queryProjection, probeQuery);
        }
        LinearWeights keyProjection = backend.prepareLinear(
                weights.slice(inProj, why, hidden, 2 * hidden, 3L * hidden, hidden),
                weights.slice(inBias, why, hidden, 2 * hidden, 3L * hidden));
        LinearWeights valueProjection = backend.prepareLinear(
                weights.slice(inProj, why, 2 * hidden, 3 * hidden, 3L * hidden, hidden),
                weights.slice(inBias, why, 2 * hidden, 3 * hidden, 3L * hidden));
        return new AttentionPoolingHead(backend, probeQuery, keyProjection, valueProjection,
                weights.linear(prefix + ".attention.out_proj", true, hidden, hidden, config.hiddenField()),
                LayerNorm.load(weights, prefix + ".layernorm", config),
                Mlp.load(weights, prefix + ".mlp.fc1", prefix + ".mlp.fc2", config, "head_"),
                config, numPatches);
    }

    /**
     * Pools each image's patches, {@code act.normalized()} ({@code [images·patches, hidden]}, post-layer-normed),
     * into one row of {@code pooled} ({@code [images, hidden]}). Uses the workspace's attention matrices.
     */
    void forward(Activations act, Matrix pooled) {
        int images = act.layout().batch();
        backend.linear(act.normalized(), keyProjection, act.key());
        backend.linear(act.normalized(), valueProjection, act.value());
        backend.gatherRows(probeQuery, new int[images * numPatches], act.query());
        backend.attention(act.query(), act.key(), act.value(), new AttentionSpec(images, numPatches,
                config.numHeads(), config.headDim(), (float) (1.0 / Math.sqrt(config.headDim())), false, null),
                act.context());
        try (Matrix attendedByProbe = backend.allocate(images, config.hiddenSize());
             Matrix normalized = backend.allocate(images, config.hiddenSize());
             Matrix intermediate = backend.allocate(images, config.intermediateSize())) {
            backend.gatherRows(act.context(), firstRowOfEachImage(images), attendedByProbe);
            backend.linear(attendedByProbe, outputProjection, pooled);
            act.tap("head_attention", pooled);
            layerNorm.apply(pooled, normalized);
            mlp.forward(normalized, intermediate, act::tap, attendedByProbe);
            backend.add(pooled, attendedByProbe);
        }
    }

    private int[] firstRowOfEachImage(int images) {
        int[] rows = new int[images];
        Arrays.setAll(rows, image -> image * numPatches);
        return rows;
    }

    void close() {
        probeQuery.close();
        layerNorm.close();
    }
}
