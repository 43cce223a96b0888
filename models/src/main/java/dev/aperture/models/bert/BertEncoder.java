package dev.aperture.models.bert;

import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The BERT encoder (Devlin et al. 2019), written against {@link Backend} so it runs on any backend:
 * <pre>
 *   h = LayerNorm(word[id] + tokenType[0] + position[p])
 *   for each layer:                                   (post-LN, as in the original Transformer)
 *     a = LayerNorm(h + Dense(MultiHeadAttention(h, padding mask)))
 *     h = LayerNorm(a + Dense(GELU(Dense(a))))
 * </pre>
 * Attention is bidirectional; padded positions are masked as keys through {@link AttentionSpec#keyLengths()}.
 * Parameters use Hugging Face names ({@code encoder.layer.N.attention.self.query.weight}), with or without the
 * {@code "bert."} prefix. Thread-safe: every call allocates its own activations.
 */
public final class BertEncoder implements AutoCloseable {
    private final Backend backend;
    private final BertConfig config;
    private final Matrix wordEmbeddings;
    private final Matrix positionEmbeddings;
    private final Matrix tokenTypeZeroEmbedding;
    private final Norm embeddingNorm;
    private final List<Layer> layers;

    /** A LayerNorm's scale and shift, as {@code [1, hidden]} matrices. */
    private record Norm(Matrix gamma, Matrix beta) {
    }

    private record Layer(LinearWeights query, LinearWeights key, LinearWeights value, LinearWeights attentionOutput,
                         Norm attentionNorm, LinearWeights intermediate, LinearWeights output, Norm outputNorm) {
    }

    /** Receives intermediate activations by name (debugging and layer-by-layer tests). */
    @FunctionalInterface
    public interface TapListener {
        /** {@code activation} is only valid during the call; download it to keep it. */
        void tap(String name, Matrix activation);
    }

    private static final TapListener NO_TAPS = (name, activation) -> {
    };

    private BertEncoder(Backend backend, BertConfig config, Matrix wordEmbeddings, Matrix positionEmbeddings,
                        Matrix tokenTypeZeroEmbedding, Norm embeddingNorm, List<Layer> layers) {
        this.backend = backend;
        this.config = config;
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.tokenTypeZeroEmbedding = tokenTypeZeroEmbedding;
        this.embeddingNorm = embeddingNorm;
        this.layers = layers;
    }

    /**
     * Prepares the weights of {@code weights} on {@code backend}. The weights may be closed afterwards only if the
     * backend copied them (every backend does in {@code prepareLinear} / {@code upload}).
     *
     * @throws ModelMismatchException when a tensor is missing or its shape disagrees with {@code config}
     */
    public static BertEncoder load(Backend backend, BertConfig config, TensorSource weights) {
        String prefix = weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        WeightReader reader = new WeightReader(backend, weights, prefix);
        int hidden = config.hiddenSize();
        Matrix words = reader.table("embeddings.word_embeddings.weight", config.vocabSize(), hidden);
        Matrix positions = reader.table("embeddings.position_embeddings.weight", config.maxPositionEmbeddings(), hidden);
        float[] tokenTypes = reader.floats("embeddings.token_type_embeddings.weight", config.typeVocabSize(), hidden);
        Matrix tokenTypeZero = backend.upload(Arrays.copyOf(tokenTypes, hidden), 1, hidden);
        Norm embeddingNorm = reader.norm("embeddings.LayerNorm", hidden);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String layer = "encoder.layer." + i + ".";
            layers.add(new Layer(
                    reader.linear(layer + "attention.self.query", hidden, hidden),
                    reader.linear(layer + "attention.self.key", hidden, hidden),
                    reader.linear(layer + "attention.self.value", hidden, hidden),
                    reader.linear(layer + "attention.output.dense", hidden, hidden),
                    reader.norm(layer + "attention.output.LayerNorm", hidden),
                    reader.linear(layer + "intermediate.dense", config.intermediateSize(), hidden),
                    reader.linear(layer + "output.dense", hidden, config.intermediateSize()),
                    reader.norm(layer + "output.LayerNorm", hidden)));
        }
        return new BertEncoder(backend, config, words, positions, tokenTypeZero, embeddingNorm, List.copyOf(layers));
    }

    public BertConfig config() {
        return config;
    }

    /** The last hidden state, {@code [batch·seqLen, hidden]} row-major; padded rows hold unspecified values. */
    public float[] encode(TokenBatch batch) {
        return encode(batch, NO_TAPS);
    }

    /**
     * As {@link #encode(TokenBatch)}, reporting activations to {@code taps} under the names {@code embeddings_sum},
     * {@code embeddings_ln}, {@code layer0_query}, {@code layer0_attn_ln}, {@code layer0_gelu} and
     * {@code layerN_out} for every layer N.
     */
    public float[] encode(TokenBatch batch, TapListener taps) {
        int batchSize = batch.batchSize();
        int seqLen = batch.seqLen();
        if (seqLen > config.maxPositionEmbeddings()) {
            throw new InputException("Sequence of " + seqLen + " tokens exceeds the model's "
                    + config.maxPositionEmbeddings() + " positions");
        }
        int rows = batchSize * seqLen;
        int hidden = config.hiddenSize();
        try (Activations act = new Activations(backend, rows, hidden, config.intermediateSize())) {
            backend.gatherRows(wordEmbeddings, flatten(batch), act.sum);
            backend.addRowsPeriodic(act.sum, tokenTypeZeroEmbedding, 1);
            backend.addRowsPeriodic(act.sum, positionEmbeddings, seqLen);
            taps.tap("embeddings_sum", act.sum);
            backend.layerNorm(act.sum, embeddingNorm.gamma(), embeddingNorm.beta(), config.layerNormEps(), act.hidden);
            taps.tap("embeddings_ln", act.hidden);
            AttentionSpec spec = new AttentionSpec(batchSize, seqLen, config.numAttentionHeads(), config.headDim(),
                    (float) (1.0 / Math.sqrt(config.headDim())), false, batch.lengths());
            for (int i = 0; i < layers.size(); i++) {
                runLayer(layers.get(i), i, spec, act, taps);
            }
            return backend.download(act.hidden);
        }
    }

    /** One post-LN transformer block; reads and writes {@code act.hidden}. */
    private void runLayer(Layer layer, int index, AttentionSpec spec, Activations act, TapListener taps) {
        backend.linear(act.hidden, layer.query(), act.query);
        if (index == 0) {
            taps.tap("layer0_query", act.query);
        }
        backend.linear(act.hidden, layer.key(), act.key);
        backend.linear(act.hidden, layer.value(), act.value);
        backend.attention(act.query, act.key, act.value, spec, act.context);
        backend.linear(act.context, layer.attentionOutput(), act.sum);
        backend.add(act.sum, act.hidden);
        backend.layerNorm(act.sum, layer.attentionNorm().gamma(), layer.attentionNorm().beta(),
                config.layerNormEps(), act.attended);
        if (index == 0) {
            taps.tap("layer0_attn_ln", act.attended);
        }
        backend.linear(act.attended, layer.intermediate(), act.intermediate);
        backend.activate(config.hiddenAct(), act.intermediate);
        if (index == 0) {
            taps.tap("layer0_gelu", act.intermediate);
        }
        backend.linear(act.intermediate, layer.output(), act.sum);
        backend.add(act.sum, act.attended);
        backend.layerNorm(act.sum, layer.outputNorm().gamma(), layer.outputNorm().beta(),
                config.layerNormEps(), act.hidden);
        taps.tap("layer" + index + "_out", act.hidden);
    }

    private int[] flatten(TokenBatch batch) {
        int[] flat = new int[batch.batchSize() * batch.seqLen()];
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int p = 0; p < batch.seqLen(); p++) {
                int id = batch.ids()[b][p];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new InputException("Token id " + id + " is outside the vocabulary of "
                            + config.vocabSize());
                }
                flat[b * batch.seqLen() + p] = id;
            }
        }
        return flat;
    }

    /** Releases the embedding tables and norms early; linear weights are released with the backend. */
    @Override
    public void close() {
        wordEmbeddings.close();
        positionEmbeddings.close();
        tokenTypeZeroEmbedding.close();
        embeddingNorm.gamma().close();
        embeddingNorm.beta().close();
        for (Layer layer : layers) {
            layer.attentionNorm().gamma().close();
            layer.attentionNorm().beta().close();
            layer.outputNorm().gamma().close();
            layer.outputNorm().beta().close();
        }
    }

    /** The working matrices of one forward pass, sized for its batch. */
    private static final class Activations implements AutoCloseable {
        final Matrix sum;
        final Matrix hidden;
        final Matrix query;
        final Matrix key;
        final Matrix value;
        final Matrix context;
        final Matrix attended;
        final Matrix intermediate;

        Activations(Backend backend, int rows, int hidden, int intermediateSize) {
            sum = backend.allocate(rows, hidden);
            this.hidden = backend.allocate(rows, hidden);
            query = backend.allocate(rows, hidden);
            key = backend.allocate(rows, hidden);
            value = backend.allocate(rows, hidden);
            context = backend.allocate(rows, hidden);
            attended = backend.allocate(rows, hidden);
            intermediate = backend.allocate(rows, intermediateSize);
        }

        @Override
        public void close() {
            for (Matrix m : new Matrix[] {sum, hidden, query, key, value, context, attended, intermediate}) {
                m.close();
            }
        }
    }

    /** Looks up tensors by Hugging Face name, checks their shapes and hands them to the backend. */
    private record WeightReader(Backend backend, TensorSource weights, String prefix) {
        TensorView view(String name, long... shape) {
            TensorView view = weights.tensor(prefix + name);
            if (!Arrays.equals(view.shape(), shape)) {
                throw new ModelMismatchException("Tensor '" + prefix + name + "' has shape "
                        + Arrays.toString(view.shape()) + ", but the config implies "
                        + Arrays.toString(shape));
            }
            return view;
        }

        float[] floats(String name, int rows, int cols) {
            return view(name, rows, cols).toFloatArray();
        }

        Matrix table(String name, int rows, int cols) {
            return backend.upload(floats(name, rows, cols), rows, cols);
        }

        Norm norm(String module, int width) {
            return new Norm(backend.upload(view(module + ".weight", width).toFloatArray(), 1, width),
                    backend.upload(view(module + ".bias", width).toFloatArray(), 1, width));
        }

        LinearWeights linear(String module, int out, int in) {
            return backend.prepareLinear(view(module + ".weight", out, in), view(module + ".bias", out));
        }
    }
}
