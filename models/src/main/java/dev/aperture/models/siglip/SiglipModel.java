package dev.aperture.models.siglip;

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
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.sentencepiece.SiglipTokenizer;
import dev.aperture.models.zeroshot.Scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A SigLIP or fixed-resolution SigLIP 2 model loaded from a Hugging Face model folder ({@code config.json} with
 * {@code model_type: "siglip"}, weights, {@code spiece.model} or {@code tokenizer.json} with
 * {@code tokenizer_config.json}, {@code preprocessor_config.json}): texts and images in, embeddings out.
 *
 * <p>Done as SigLIP was trained, whatever the caller passes: texts are always padded to {@code max_length} (the
 * text tower pools the last position, so the padding is part of the input) and the text tower attends to the padding
 * (no attention mask; transformers 5's pipeline passes one, which changes the embeddings); images are resized to
 * the exact square without cropping. Image-text scores are independent sigmoids ({@link Scoring#SIGMOID}).
 *
 * <p>Thread-safe, with the batching, limits and close semantics of {@link dev.aperture.models.clip.ClipModel}.
 */
public final class SiglipModel implements ImageTextModel {
    /** config.json's {@code model_type} for SigLIP and fixed-resolution SigLIP 2. */
    public static final String MODEL_TYPE = SiglipConfig.MODEL_TYPE;

    /** The SigLIP pipeline's default template (transformers' {@code ZeroShotImageClassificationPipeline}). */
    public static final List<String> DEFAULT_TEMPLATES = List.of("This is a photo of {}.");

    private final Path directory;
    private final Backend backend;
    /** Null once closed, so the weights can be collected even while callers still hold this object. */
    private SiglipTowers towers;
    private final SiglipConfig config;
    private final float logitScale;
    private final float logitBias;
    private final SiglipTokenizer tokenizer;
    private final ImagePreprocessor preprocessor;
    private final int batchSize;
    private final InputLimits limits;
    private final ModelLifecycle lifecycle;

    private SiglipModel(Path directory, Backend backend, SiglipTowers towers, SiglipTokenizer tokenizer,
                        ImagePreprocessor preprocessor, ModelOptions options) {
        this.directory = directory;
        this.backend = backend;
        this.towers = towers;
        this.config = towers.config();
        this.logitScale = towers.logitScale();
        this.logitBias = towers.logitBias();
        this.tokenizer = tokenizer.withMaxTextChars(options.limits().maxTextChars());
        this.preprocessor = preprocessor;
        this.batchSize = options.batchSize();
        this.limits = options.limits();
        this.lifecycle = new ModelLifecycle("SigLIP model " + directory);
    }

    /** Loads a model folder. */
    public static SiglipModel load(Path directory, ModelOptions options) {
        return load(ResolvedModel.ofFolder(directory), options);
    }

    /**
     * Loads a model folder, or a hub id such as {@code google/siglip-base-patch16-224} (optionally
     * {@code @revision}), downloading its files into the shared hub cache on first use.
     */
    public static SiglipModel load(String folderOrHubId, ModelOptions options, HubOptions hub) {
        return load(ModelSource.resolve(folderOrHubId, hub.withFiles(ModelFiles.siglip())), options);
    }

    /** Loads a model whose files {@link ModelSource#resolve} found. */
    public static SiglipModel load(ResolvedModel model, ModelOptions options) {
        Path directory = model.folder();
        if (!Files.isDirectory(directory)) {
            throw new InputException("Model folder " + directory + " does not exist or is not a folder");
        }
        SiglipTokenizer tokenizer = SiglipTokenizer.load(directory);
        ImagePreprocessor preprocessor = ImagePreprocessor.load(directory, options.limits().images());
        return ModelLoading.onNewBackend(options, backend -> new SiglipModel(directory, backend,
                SiglipTowers.load(model, options.limits().checkpoints(), backend), tokenizer, preprocessor, options));
    }

    /**
     * A model from parts already built (the synthetic models of {@code bench --random}). Takes ownership of
     * {@code backend} and {@code towers}.
     */
    public static SiglipModel fromParts(Path directory, Backend backend, SiglipTowers towers,
                                        SiglipTokenizer tokenizer, ImagePreprocessor preprocessor,
                                        ModelOptions options) {
        return new SiglipModel(directory, backend, towers, tokenizer, preprocessor, options);
    }

    /** The folder this model was loaded from; {@code null} for a model built in memory. */
    public Path directory() {
        return directory;
    }

    public SiglipConfig config() {
        return config;
    }

    /** The towers, for callers feeding ids or pixels directly (benchmarks). Owned by this model: do not close. */
    public SiglipTowers towers() {
        return towers;
    }

    public SiglipTokenizer tokenizer() {
        return tokenizer;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public String family() {
        return MODEL_TYPE;
    }

    @Override
    public int embeddingSize() {
        return config.embeddingSize();
    }

    @Override
    public float logitScale() {
        return logitScale;
    }

    @Override
    public float logitBias() {
        return logitBias;
    }

    /** A sigmoid per label, as SigLIP's loss trained it. */
    @Override
    public Scoring scoring() {
        return Scoring.SIGMOID;
    }

    @Override
    public List<String> defaultTemplates() {
        return DEFAULT_TEMPLATES;
    }

    @Override
    public InputLimits limits() {
        return limits;
    }

    @Override
    public float[][] embedTexts(List<String> texts, ProgressListener progress) {
        return Vectors.normalizedRows(embedTextsUnnormalized(texts, progress));
    }

    /** Text features before normalization ({@code get_text_features}, without an attention mask). */
    public float[][] embedTextsUnnormalized(List<String> texts, ProgressListener progress) {
        lifecycle.checkOpen();
        limits.checkTexts(texts);
        return lifecycle.runInBatches(texts, batchSize, progress, batch -> {
            TokenBatch tokens = tokenizer.encodeBatch(batch);   // always padded to max_length
            return () -> towers.encodeText(tokens.ids());
        });
    }

    @Override
    public float[][] embedImages(List<ImageInput> images, ProgressListener progress) {
        return Vectors.normalizedRows(embedImagesUnnormalized(images, progress));
    }

    /** Image features before normalization ({@code get_image_features}: the attention-pooling head's output). */
    public float[][] embedImagesUnnormalized(List<ImageInput> images, ProgressListener progress) {
        lifecycle.checkOpen();
        limits.checkInputCount(images, "images");
        return lifecycle.runInBatches(images, batchSize, progress, batch -> {
            float[][] pixels = batch.stream().map(preprocessor::preprocess).toArray(float[][]::new);
            return () -> towers.encodeImages(pixels);
        });
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
