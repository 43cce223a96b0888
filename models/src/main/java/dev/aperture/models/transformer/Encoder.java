package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The stack of {@link EncoderBlock}s a model's embeddings pass through, and the workspace they share. */
public final class Encoder {
    private final Backend backend;
    private final EncoderConfig config;
    private final List<EncoderBlock> blocks;

    private Encoder(Backend backend, EncoderConfig config, List<EncoderBlock> blocks) {
        this.backend = backend;
        this.config = config;
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Loads {@code config.numLayers()} blocks; {@code namesOfLayer} maps a layer index to the model family's
     * tensor names for it.
     */
    public static Encoder load(WeightLoader weights, EncoderConfig config, IntFunction<BlockTensorNames> namesOfLayer) {
        List<EncoderBlock> blocks = new ArrayList<>(config.numLayers());
        for (int i = 0; i < config.numLayers(); i++) {
            blocks.add(EncoderBlock.load(weights, namesOfLayer.apply(i), config, i));
        }
        return new Encoder(weights.backend(), config, blocks);
    }

    public EncoderConfig config() {
        return config;
    }

    /** A new workspace for one forward pass over a batch laid out as {@code layout}; the caller closes it. */
    public Activations activations(SequenceLayout layout, ActivationTap tap) {
        return new Activations(backend, config, layout, tap);
    }

    /** Runs every block over {@code act.hidden()}, in place. */
    public void forward(Activations act) {
        for (EncoderBlock block : blocks) {
            block.forward(act);
        }
    }

    /**
     * The tap names of Hugging Face's {@code hidden_states}: {@code inputName} (what the model reports its
     * encoder input as), then each layer's output.
     */
    public List<String> hiddenStateTapNames(String inputName) {
        List<String> names = new ArrayList<>(blocks.size() + 1);
        names.add(inputName);
        for (int i = 0; i < blocks.size(); i++) {
            names.add(EncoderBlock.outputTapName(i));
        }
        return names;
    }

    /** Releases the norms' uploaded tables; linear weights are released with the backend. */
    public void close() {
        blocks.forEach(EncoderBlock::close);
    }
}
