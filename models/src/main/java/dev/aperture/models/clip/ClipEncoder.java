package dev.aperture.models.clip;

import dev.aperture.core.backend.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The stack of transformer blocks ({@code encoder.layers.0 ... encoder.layers.N-1}). */
final class ClipEncoder {
    private final List<ClipEncoderLayer> layers;

    private ClipEncoder(List<ClipEncoderLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    static ClipEncoder load(WeightLoader weights, String prefix, EncoderShape shape) {
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < shape.numLayers(); i++) {
            layers.add(ClipEncoderLayer.load(weights, prefix + ".layers." + i, shape));
        }
        return new ClipEncoder(layers);
    }

    /** Runs every block over {@code hidden}, in place; {@code afterEachLayer} (may be a no-op) sees each output. */
    void forward(Matrix hidden, SequenceLayout layout, Consumer<Matrix> afterEachLayer) {
        for (ClipEncoderLayer layer : layers) {
            layer.forward(hidden, layout);
            afterEachLayer.accept(hidden);
        }
    }

    void close() {
        layers.forEach(ClipEncoderLayer::close);
    }
}
