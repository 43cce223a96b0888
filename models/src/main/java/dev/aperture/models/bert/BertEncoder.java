package dev.aperture.models.bert;

import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.transformer.ActivationTap;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.Encoder;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.NormPlacement;
import dev.aperture.models.transformer.SequenceLayout;
import dev.aperture.models.transformer.WeightLoader;

/**
 * The BERT encoder (Devlin et al. 2019) on the shared transformer blocks:
 * <pre>
 *   h = LayerNorm(word[id] + tokenType[0] + position[p])
 *   for each layer:                                   (post-LN, as in the original Transformer)
 *     a = LayerNorm(h + Dense(MultiHeadAttention(h, padding mask)))
 *     h = LayerNorm(a + Dense(GELU(Dense(a))))
 * </pre>
 * Attention is bidirectional; padded positions are masked as keys through {@link AttentionSpec#keyLengths()}.
 * Parameters use Hugging Face names ({@code encoder.layer.N.attention.self.query.weight}), with or without the
 * {@code "bert."} prefix ({@link BertTensorNames}). Thread-safe: every call allocates its own activations, once.
 */
final class BertEncoder implements AutoCloseable {
    private final Backend backend;
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final Encoder encoder;

    private BertEncoder(Backend backend, BertConfig config, BertEmbeddings embeddings, Encoder encoder) {
        this.backend = backend;
        this.config = config;
        this.embeddings = embeddings;
        this.encoder = encoder;
    }

    /**
     * Prepares the weights of {@code weights} on {@code backend}. The weights may be closed afterwards only if the
     * backend copied them (every backend does in {@code prepareLinear} / {@code upload}).
     *
     * @throws ModelMismatchException when a tensor is missing or its shape disagrees with {@code config}
     */
    public static BertEncoder load(Backend backend, BertConfig config, TensorSource weights) {
        BertTensorNames names = BertTensorNames.of(weights);
        WeightLoader loader = new WeightLoader(weights, backend, "the BERT config");
        loader.requireAll(names.expected(config.numHiddenLayers()));
        EncoderConfig encoderConfig = new EncoderConfig("", config.hiddenSize(), config.intermediateSize(),
                config.numHiddenLayers(), config.numAttentionHeads(), config.layerNormEps(), config.hiddenAct(),
                NormPlacement.POST_NORM, false);
        return new BertEncoder(backend, config, BertEmbeddings.load(loader, names, config, encoderConfig),
                Encoder.load(loader, encoderConfig, names::layer));
    }

    public BertConfig config() {
        return config;
    }

    /** The last hidden state, {@code [batch·seqLen, hidden]} row-major; padded rows hold unspecified values. */
    public float[] encode(TokenBatch batch) {
        return encode(batch, ActivationTap.NONE);
    }

    /**
     * As {@link #encode(TokenBatch)}, reporting activations to {@code tap}: {@code embeddings_sum},
     * {@code embeddings_ln}, then the encoder's per-layer names ({@link ActivationTap}), e.g. {@code layer0_query},
     * {@code layer0_attn_ln}, {@code layer0_gelu} and {@code layerN_out} for every layer N.
     */
    public float[] encode(TokenBatch batch, ActivationTap tap) {
        SequenceLayout layout = new SequenceLayout(batch.size(), batch.width(), batch.lengths());
        int[] flatIds = flatIds(batch);
        try (Activations act = encoder.activations(layout, tap)) {
            embeddings.forward(flatIds, act);
            encoder.forward(act);
            return backend.download(act.hidden());
        }
    }

    /** The batch's ids, row-major, each checked against the vocabulary. */
    private int[] flatIds(TokenBatch batch) {
        int seqLen = batch.width();
        if (seqLen > config.maxPositionEmbeddings()) {
            throw new InputException("Sequence of " + seqLen + " tokens exceeds the model's "
                    + config.maxPositionEmbeddings() + " positions");
        }
        int[] flat = new int[batch.size() * seqLen];
        for (int b = 0; b < batch.size(); b++) {
            for (int p = 0; p < seqLen; p++) {
                int id = batch.ids()[b][p];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new InputException("Token id " + id + " is outside the vocabulary of "
                            + config.vocabSize());
                }
                flat[b * seqLen + p] = id;
            }
        }
        return flat;
    }

    /** Releases the embedding tables and norms early; linear weights are released with the backend. */
    @Override
    public void close() {
        embeddings.close();
        encoder.close();
    }
}
