package dev.aperture.models.clip;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.Vectors;
import dev.aperture.models.image.ImagePreprocessor;
import dev.aperture.models.loading.ModelLifecycle;
import dev.aperture.models.loading.ModelLoading;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.bpe.Padding;
import dev.aperture.models.zeroshot.PromptTemplates;
import dev.aperture.models.zeroshot.Scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CLIP model loaded from a Hugging Face model folder ({@code config.json}, {@code model.safetensors} or shards,
 * tokenizer files, {@code preprocessor_config.json}): texts and images in, embeddings out.
 *
 * <p>Embeddings are the projected features ({@code get_text_features} / {@code get_image_features} in
 * transformers); the {@code embed*} methods return them L2-normalized, the {@code *Unnormalized} ones as they are.
 * Large input lists are split into batches of {@link ModelOptions#batchSize()}.
 *
 * <p>Thread-safe: any number of threads may call it at once, with results identical to serial calls.
 * Inputs are checked against {@link ModelOptions#limits()} before any work is done.
 *
 * <p>Closing releases the weights and the backend, once no batch is running: each batch holds a read lock, close
 * takes the write lock. Calls made after close, and calls in flight when it happens (at their next batch), fail
 * with an {@link InputException} saying the model is closed; none sees freed memory or returns partial results.
 */
public final class ClipModel implements ImageTextModel {
    private final Path directory;
    private final Backend backend;
    /** Null once closed, so the weights can be collected even while callers still hold this object. */
    private ClipTowers towers;
    private final ClipConfig config;
    private final float logitScale;
    private final ClipTokenizer tokenizer;
    private final ImagePreprocessor preprocessor;
    private final int batchSize;
    private final InputLimits limits;
    private final ModelLifecycle lifecycle;

    private ClipModel(Path directory, Backend backend, ClipTowers towers, ClipTokenizer tokenizer,
                      ImagePreprocessor preprocessor, int batchSize, InputLimits limits) {
        this.directory = directory;
        this.backend = backend;
        this.towers = towers;
        this.config = towers.config();
        this.logitScale = towers.logitScale();
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.batchSize = batchSize;
        this.limits = limits;
        this.lifecycle = new ModelLifecycle("CLIP model " + directory);
    }

    /** Loads a model folder with {@link ModelOptions#defaults()}. */
    public static ClipModel load(Path directory) {
        return load(directory, ModelOptions.defaults());
    }

    /**
     * Loads a model folder, or a Hugging Face hub id such as {@code openai/clip-vit-base-patch32} (optionally
     * {@code @revision}), downloading it into the shared hub cache on first use (see {@link ModelSource}).
     */
    public static ClipModel load(String folderOrHubId, ModelOptions options, HubOptions hub) {
        return load(ModelSource.resolve(folderOrHubId, hub), options);
    }

    /** Loads a model folder. */
    public static ClipModel load(Path directory, ModelOptions options) {
        return load(ResolvedModel.ofFolder(directory), options);
    }

    /** Loads a model whose files {@link ModelSource#resolve} found (its weights may lie outside its folder). */
    public static ClipModel load(ResolvedModel model, ModelOptions options) {
        Path directory = model.folder();
        if (!Files.isDirectory(directory)) {
            throw new InputException("Model folder " + directory + " does not exist or is not a folder");
        }
        InputLimits limits = options.limits();
        ClipTokenizer tokenizer = ClipTokenizer.load(directory).withMaxTextChars(limits.maxTextChars());
        ImagePreprocessor preprocessor = ImagePreprocessor.load(directory, limits.images());
        return ModelLoading.onNewBackend(options, backend -> new ClipModel(directory, backend,
                ClipTowers.load(model, limits.checkpoints(), backend), tokenizer, preprocessor, options.batchSize(),
                limits));
    }

    /**
     * A model from parts already built (the synthetic models of {@code clip.synthetic} build one in memory). Takes
     * ownership of {@code backend} and {@code towers}: closing the model closes them.
     */
    public static ClipModel fromParts(Path directory, Backend backend, ClipTowers towers, ClipTokenizer tokenizer,
                               ImagePreprocessor preprocessor, ModelOptions options) {
        InputLimits limits = options.limits();
        return new ClipModel(directory, backend, towers, tokenizer.withMaxTextChars(limits.maxTextChars()), preprocessor,
                options.batchSize(), limits);
    }

    /** The folder this model was loaded from; {@code null} for a model built in memory ({@link #fromParts}). */
    public Path directory() {
        return directory;
    }

    public ClipConfig config() {
        return config;
    }

    @Override
    public InputLimits limits() {
        return limits;
    }

    /**
     * The towers themselves, for callers that feed token ids or preprocessed pixels directly (benchmarks timing
     * the towers without tokenization or image decoding). Owned by this model: do not close them.
     */
    public ClipTowers towers() {
        return towers;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** The temperature: {@code exp(logit_scale)}; logits are this times the cosine similarity. */
    @Override
    public float logitScale() {
        return logitScale;
    }

    @Override
    public String family() {
        return "clip";
    }

    @Override
    public int embeddingSize() {
        return config.projectionDim();
    }

    /** 0: CLIP's logits are the scaled cosines alone. */
    @Override
    public float logitBias() {
        return 0f;
    }

    /** A softmax over the labels, as CLIP's contrastive loss trained it. */
    @Override
    public Scoring scoring() {
        return Scoring.SOFTMAX;
    }

    /** {@code "a photo of a {}."}, the CLIP paper's. */
    @Override
    public List<String> defaultTemplates() {
        return PromptTemplates.DEFAULT;
    }

    /** L2-normalized text embeddings, reporting progress after each batch. */
    @Override
    public float[][] embedTexts(List<String> texts, ProgressListener progress) {
        return Vectors.normalizedRows(embedTextsUnnormalized(texts, progress));
    }

    /** Projected text features before normalization ({@code get_text_features}). */
    public float[][] embedTextsUnnormalized(List<String> texts, ProgressListener progress) {
        lifecycle.checkOpen();
        limits.checkTexts(texts);
        return lifecycle.runInBatches(texts, batchSize, progress, batch -> {
            // Padding to the longest text only: the towers stop at the last EOS anyway.
            TokenBatch tokens = tokenizer.encodeBatch(batch, Padding.LONGEST);
            return () -> towers.encodeText(tokens.ids(), tokens.attentionMask());
        });
    }

    /** L2-normalized image embeddings, reporting progress after each batch. */
    @Override
    public float[][] embedImages(List<ImageInput> images, ProgressListener progress) {
        return Vectors.normalizedRows(embedImagesUnnormalized(images, progress));
    }

    /** Projected image features before normalization ({@code get_image_features}). */
    public float[][] embedImagesUnnormalized(List<ImageInput> images, ProgressListener progress) {
        lifecycle.checkOpen();
        limits.checkInputCount(images, "images");
        return lifecycle.runInBatches(images, batchSize, progress, batch -> {
            float[][] pixels = batch.stream().map(preprocessor::preprocess).toArray(float[][]::new);
            return () -> towers.encodeImages(pixels);
        });
    }

    /** The normalized embedding of one image. */
    public float[] embedImage(ImageInput image) {
        return embedImages(List.of(image))[0];
    }

    /** The normalized embedding of one text. */
    public float[] embedText(String text) {
        return embedTexts(List.of(text))[0];
    }

    /**
     * Releases the weights and the backend once the batches now running have finished; calls still in flight then
     * fail at their next batch. Idempotent.
     */
    @Override
    public void close() {
        lifecycle.close(() -> {
            towers.close();
            backend.close();
            towers = null;
        });
    }
}
