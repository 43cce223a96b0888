package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/** A layer norm's learned scale and shift ({@code prefix.weight}, {@code prefix.bias}) and its epsilon. */
final class LayerNorm {
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

    static LayerNorm load(WeightLoader weights, String prefix, EncoderShape shape) {
        int size = shape.hiddenSize();
        return new LayerNorm(weights.backend(), weights.row(prefix + ".weight", size, shape.hiddenField()),
                weights.row(prefix + ".bias", size, shape.hiddenField()), shape.layerNormEps());
    }

    /** A new matrix holding {@code x} normalized row by row. */
    Matrix apply(Matrix x) {
        Matrix out = backend.allocate(x.rows(), x.cols());
        backend.layerNorm(x, gamma, beta, eps, out);
        return out;
    }

    /** Writes {@code x} normalized into {@code out}. */
    void apply(Matrix x, Matrix out) {
        backend.layerNorm(x, gamma, beta, eps, out);
    }

    void close() {
        gamma.close();
        beta.close();
    }
}
