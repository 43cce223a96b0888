package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/** Backend operations that return their result in a new matrix (the caller owns and closes it). */
final class NewMatrices {
    private NewMatrices() {
    }

    /** {@code x·Wᵀ + b}. */
    static Matrix linear(Backend backend, Matrix x, LinearWeights weights) {
        Matrix out = backend.allocate(x.rows(), weights.outFeatures());
        backend.linear(x, weights, out);
        return out;
    }

    /** The given rows of {@code source}, in order. */
    static Matrix gatherRows(Backend backend, Matrix source, int[] rows) {
        Matrix out = backend.allocate(rows.length, source.cols());
        backend.gatherRows(source, rows, out);
        return out;
    }
}
