package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/**
 * Layer normalization (Ba et al. 2016) over each row: {@code (x − mean) / sqrt(var + eps) · weight + bias}, with the
 * learned {@code prefix.weight} and {@code prefix.bias} and the config's epsilon.
 */
public final class LayerNorm {
    private final Backend backend;
    private final Matrix gamma;
    private final Matrix beta;
    private final float eps;

    private LayerNorm(Backend backend, Matrix gamma, Matrix beta, float eps) {
        this.backend = backend;
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
    }

    /** The norm over {@code hidden_size} columns named {@code prefix}. */
    public static LayerNorm load(WeightLoader weights, String prefix, EncoderConfig config) {
        int size = config.hiddenSize();
        return new LayerNorm(weights.backend(), weights.row(prefix + ".weight", size, config.hiddenField()),
                weights.row(prefix + ".bias", size, config.hiddenField()), config.layerNormEps());
    }

    /** Writes {@code x} normalized row by row into {@code out} (same shape, a different matrix). */
    public void apply(Matrix x, Matrix out) {
        backend.layerNorm(x, gamma, beta, eps, out);
    }

    public void close() {
        gamma.close();
        beta.close();
    }
}
