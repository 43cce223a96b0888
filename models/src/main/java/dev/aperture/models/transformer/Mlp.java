package dev.aperture.models.transformer;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/** The position-wise feed-forward block: {@code down(activation(up(x)))}, widening to intermediate_size and back. */
final class Mlp {
    private final Backend backend;
    private final LinearWeights up;
    private final LinearWeights down;
    private final Activation activation;
    private final String activationTapName;

    private Mlp(Backend backend, LinearWeights up, LinearWeights down, Activation activation,
                String activationTapName) {
        this.backend = backend;
        this.up = up;
        this.down = down;
        this.activation = activation;
        this.activationTapName = activationTapName;
    }

    static Mlp load(WeightLoader weights, BlockTensorNames names, EncoderConfig config, String tapPrefix) {
        int hidden = config.hiddenSize();
        int intermediate = config.intermediateSize();
        return new Mlp(weights.backend(),
                weights.linear(names.mlpUp(), true, intermediate, hidden, config.mlpFields()),
                weights.linear(names.mlpDown(), true, hidden, intermediate, config.mlpFields()),
                config.activation(), tapPrefix + config.activation().configName());
    }

    /** {@code out = MLP(x)}, row by row. */
    void forward(Matrix x, Activations act, Matrix out) {
        backend.linear(x, up, act.intermediate());
        backend.activate(activation, act.intermediate());
        act.tap(activationTapName, act.intermediate());
        backend.linear(act.intermediate(), down, out);
    }
}
