package dev.aperture.models.transformer;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;

/** The position-wise feed-forward block: {@code down(activation(up(x)))}, widening to intermediate_size and back. */
public final class Mlp {
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

    /**
     * The projections {@code upName} ({@code [intermediate, hidden]}) and {@code downName}
     * ({@code [hidden, intermediate]}), with biases and the config's activation; {@code tapPrefix} starts the name
     * the activated rows are tapped under.
     */
    public static Mlp load(WeightLoader weights, String upName, String downName, EncoderConfig config,
                           String tapPrefix) {
        int hidden = config.hiddenSize();
        int intermediate = config.intermediateSize();
        return new Mlp(weights.backend(),
                weights.linear(upName, true, intermediate, hidden, config.mlpFields()),
                weights.linear(downName, true, hidden, intermediate, config.mlpFields()),
                config.activation(), tapPrefix + config.activation().configName());
    }

    /**
     * {@code out = residual + MLP(x)}, row by row, widening into the workspace's intermediate rows: the MLP's
     * result joining the residual stream.
     */
    void forward(Matrix x, Activations act, Matrix residual, Matrix out) {
        widen(x, act.intermediate(), act::tap);
        backend.linearAdd(act.intermediate(), down, residual, out);
    }

    /**
     * {@code out = MLP(x)} for rows outside an encoder's workspace shape (a pooling head's); {@code intermediate} is
     * {@code [x.rows, intermediate_size]}, overwritten.
     */
    public void forward(Matrix x, Matrix intermediate, ActivationTap tap, Matrix out) {
        widen(x, intermediate, tap);
        backend.linear(intermediate, down, out);
    }

    /** {@code intermediate = activation(up(x))}, in one backend call. */
    private void widen(Matrix x, Matrix intermediate, ActivationTap tap) {
        backend.linear(x, up, activation, intermediate);
        tap.tap(activationTapName, intermediate);
    }
}
