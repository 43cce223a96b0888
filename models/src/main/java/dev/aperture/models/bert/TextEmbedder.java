package dev.aperture.models.bert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.onnx.OnnxModel;
import dev.aperture.models.loading.ModelLifecycle;
import dev.aperture.models.loading.ModelLoading;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.wordpiece.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Sentence embeddings from a BERT-family model (sentence-transformers' recipe): WordPiece tokens, the
 * {@link BertEncoder}, then {@link SentencePooling} (all-MiniLM-L6-v2: mean over real tokens, L2-normalized).
 *
 * <p>Two kinds of model files load:
 * <ul>
 *   <li>a Hugging Face / sentence-transformers folder: {@code config.json}, {@code model.safetensors} (or a
 *       sharded checkpoint's index),
 *       {@code tokenizer.json}, and optionally sentence-transformers' {@code modules.json} +
 *       {@code 1_Pooling/config.json} (pooling) and {@code sentence_bert_config.json} ({@code max_seq_length});</li>
 *   <li>an ONNX export ({@code .onnx}) plus its {@code tokenizer.json}: weights are read from the file's
 *       initializers (see {@link BertOnnxWeights}); the config comes from a {@code config.json} beside the file,
 *       or is derived from the weights and graph.</li>
 * </ul>
 * A folder may also be named by a Hugging Face hub id ({@link #load(String, ModelOptions, HubOptions)}), fetched
 * into the hub cache like any model. Texts longer than the tokenizer's {@code max_length} are truncated; inputs are
 * checked against {@link ModelOptions#limits()} before any work.
 *
 * <p>Thread-safe. Closing releases the weights (and the backend, if the embedder created it) once the batches now
 * running have finished; calls made after close, or in flight when it happens, fail with an {@link InputException}
 * saying the model is closed ({@link ModelLifecycle}, as {@code ClipModel} does).
 */
public final class TextEmbedder implements AutoCloseable {

    private final WordPieceTokenizer tokenizer;
    private final BertEncoder encoder;
    private final SentencePooling pooling;
    private final TensorSource weights;
    private final Backend ownedBackend;
    private final int batchSize;
    private final InputLimits limits;
    private final ModelLifecycle lifecycle;

    private TextEmbedder(WordPieceTokenizer tokenizer, BertEncoder encoder, SentencePooling pooling,
                         TensorSource weights, Backend ownedBackend, int batchSize, InputLimits limits,
                         String description) {
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.pooling = pooling;
        this.weights = weights;
        this.ownedBackend = ownedBackend;
        this.batchSize = batchSize;
        this.limits = limits;
        this.lifecycle = new ModelLifecycle("text embedding model " + description);
    }

    /**
     * Loads a model folder, or an ONNX file with the {@code tokenizer.json} beside it, onto {@code backend}.
     * The backend stays the caller's to close.
     */
    public static TextEmbedder load(Path folderOrOnnx, Backend backend) {
        return load(folderOrOnnx, null, backend);
    }

    /** Loads an ONNX file with the given {@code tokenizer.json} onto {@code backend} (the caller's to close). */
    public static TextEmbedder load(Path onnxFile, Path tokenizerJson, Backend backend) {
        return loadPath(onnxFile, tokenizerJson, backend, null, ModelOptions.defaults());
    }

    /**
     * Loads a model folder or an ONNX file on the backend {@code options} names (which the embedder owns and closes),
     * embedding in batches of {@code options.batchSize()}.
     *
     * @param tokenizerJson for an ONNX file, its tokenizer.json; {@code null} for the one beside it (ignored for a
     *                      folder)
     */
    public static TextEmbedder load(Path folderOrOnnx, Path tokenizerJson, ModelOptions options) {
        return ModelLoading.onNewBackend(options,
                backend -> loadPath(folderOrOnnx, tokenizerJson, backend, backend, options));
    }

    /**
     * Loads a sentence-transformers folder, or a Hugging Face hub id such as
     * {@code sentence-transformers/all-MiniLM-L6-v2} (optionally {@code @revision}), downloading its files
     * ({@link ModelFiles#sentenceTransformers()}) into the shared hub cache on first use, onto the backend
     * {@code options} names (which the embedder owns and closes).
     */
    public static TextEmbedder load(String folderOrHubId, ModelOptions options, HubOptions hub) {
        return load(ModelSource.resolve(folderOrHubId, hub.withFiles(ModelFiles.sentenceTransformers())), options);
    }

    /** Loads a model whose files {@link ModelSource#resolve} found, onto the backend {@code options} names. */
    public static TextEmbedder load(ResolvedModel model, ModelOptions options) {
        return ModelLoading.onNewBackend(options, backend -> loadFolder(model, backend, backend, options));
    }

    private static TextEmbedder loadPath(Path folderOrOnnx, Path tokenizerJson, Backend backend, Backend owned,
                                         ModelOptions options) {
        if (Files.isDirectory(folderOrOnnx)) {
            return loadFolder(ResolvedModel.ofFolder(folderOrOnnx), backend, owned, options);
        }
        Path tokenizer = tokenizerJson != null ? tokenizerJson : besideFile(folderOrOnnx, "tokenizer.json");
        return loadOnnx(folderOrOnnx, tokenizer, backend, owned, options);
    }

    private static Path besideFile(Path file, String name) {
        return Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of(".")).resolve(name);
    }

    private static TextEmbedder loadFolder(ResolvedModel model, Backend backend, Backend owned, ModelOptions options) {
        Path folder = model.folder();
        BertConfig config = BertConfig.load(folder.resolve("config.json"));
        WordPieceTokenizer tokenizer = withSentenceTransformersMaxLength(
                WordPieceTokenizer.load(folder.resolve("tokenizer.json")), folder, config);
        SentencePooling pooling = SentencePooling.forFolder(folder);
        TensorSource weights = Checkpoints.open(model.weights(), options.limits().checkpoints());
        return assemble(tokenizer, config, pooling, weights, backend, owned, options, folder.toString());
    }

    /**
     * sentence-transformers truncates at {@code sentence_bert_config.json}'s {@code max_seq_length} (256 for
     * all-MiniLM-L6-v2, while its tokenizer.json says 128); honour it when the folder has one.
     */
    private static WordPieceTokenizer withSentenceTransformersMaxLength(WordPieceTokenizer tokenizer, Path folder,
                                                                        BertConfig config) {
        Path file = folder.resolve("sentence_bert_config.json");
        if (!Files.isRegularFile(file)) {
            return tokenizer;
        }
        try {
            JsonNode maxSeqLength = new ObjectMapper().readTree(file.toFile()).path("max_seq_length");
            if (!maxSeqLength.canConvertToInt()) {
                return tokenizer;
            }
            return tokenizer.withMaxLength(Math.min(maxSeqLength.asInt(), config.maxPositionEmbeddings()));
        } catch (JacksonException e) {
            throw new FormatException("File " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TextEmbedder loadOnnx(Path onnxFile, Path tokenizerJson, Backend backend, Backend owned,
                                         ModelOptions options) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new InputException("Model not found: " + onnxFile + " (expected a model folder or an .onnx file)");
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.load(tokenizerJson);
        BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(onnxFile));
        try {
            Path folder = Objects.requireNonNullElse(onnxFile.toAbsolutePath().getParent(), Path.of("."));
            Path configJson = folder.resolve("config.json");
            BertConfig config = Files.isRegularFile(configJson) ? BertConfig.load(configJson)
                    : BertConfig.fromWeights(weights, weights.inferNumAttentionHeads(
                    (int) weights.tensor("embeddings.word_embeddings.weight").dim(1)));
            return assemble(tokenizer, config, SentencePooling.forFolder(folder), weights, backend, owned, options,
                    onnxFile.toString());
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static TextEmbedder assemble(WordPieceTokenizer tokenizer, BertConfig config, SentencePooling pooling,
                                         TensorSource weights, Backend backend, Backend owned, ModelOptions options,
                                         String description) {
        try {
            BertEncoder encoder = BertEncoder.load(backend, config, weights);
            // A tokenizer without a truncation limit defaults to 512; never exceed the model's positions.
            WordPieceTokenizer bounded = tokenizer.maxLength() > config.maxPositionEmbeddings()
                    ? tokenizer.withMaxLength(config.maxPositionEmbeddings()) : tokenizer;
            return new TextEmbedder(bounded, encoder, pooling,
                    weights, owned, options.batchSize(), options.limits(), description);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Length of every embedding (the model's hidden size). */
    public int dimension() {
        return encoder.config().hiddenSize();
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The encoder, for tests that check its intermediate outputs. */
    BertEncoder encoder() {
        return encoder;
    }

    /** The embedding of one text. */
    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /**
     * The embeddings of {@code texts}, in order. Texts are sorted by token count and run in batches of similar
     * length, so little compute is spent on padding; padding never changes a result (it is masked).
     */
    public float[][] embed(List<String> texts) {
        lifecycle.checkOpen();
        limits.checkTexts(texts);
        List<int[]> tokens = new ArrayList<>(texts.size());
        for (String text : texts) {
            tokens.add(tokenizer.encode(text));
        }
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> tokens.get(i).length));
        float[][] embeddings = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<int[]> group = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                group.add(tokens.get(order[k]));
            }
            TokenBatch batch = TokenBatch.padded(group, tokenizer.padId());
            float[] hidden = lifecycle.runBatch(start, order.length, () -> encoder.encode(batch));
            for (int b = 0; b < batch.size(); b++) {
                embeddings[order[start + b]] = pooling.pool(hidden, b, batch.width(), batch.lengths()[b], dimension());
            }
        }
        return embeddings;
    }

    /**
     * Releases the weights (and the backend, if the embedder created it) once the batches now running have finished;
     * calls still in flight then fail at their next batch. Idempotent.
     */
    @Override
    public void close() {
        lifecycle.close(() -> {
            encoder.close();
            weights.close();
            if (ownedBackend != null) {
                ownedBackend.close();
            }
        });
    }
}
