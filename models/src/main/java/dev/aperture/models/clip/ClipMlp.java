package dev.aperture.models.clip;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/** The feed-forward block ({@code mlp}): {@code fc2(activation(fc1(x)))}, widening to intermediate_size and back. */
final class ClipMlp {
    private final Backend backend;
    private final LinearWeights fc1;
    private final LinearWeights fc2;
    private final Activation activation;

    private ClipMlp(Backend backend, LinearWeights fc1, LinearWeights fc2, Activation activation) {
        this.backend = backend;
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.activation = activation;
    }

    static ClipMlp load(WeightLoader weights, String prefix, EncoderShape shape) {
        return new ClipMlp(weights.backend(),
                weights.linear(prefix + ".fc1", true, shape.intermediateSize(), shape.hiddenSize(), shape.mlpFields()),
                weights.linear(prefix + ".fc2", true, shape.hiddenSize(), shape.intermediateSize(), shape.mlpFields()),
                shape.activation());
    }

    /** A new matrix: the MLP applied to each row of {@code x}. */
    Matrix forward(Matrix x) {
        try (Matrix widened = backend.allocate(x.rows(), fc1.outFeatures())) {
            backend.linear(x, fc1, widened);
            backend.activate(activation, widened);
            Matrix out = backend.allocate(x.rows(), fc2.outFeatures());
            backend.linear(widened, fc2, out);
            return out;
        }
    }
}
