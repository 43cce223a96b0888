package dev.aperture.server;

import dev.aperture.core.InputException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ModelTypes;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.bert.ZeroShotTextClassifier;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.ZeroShotClassifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/**
 * One model the server answers for, under its served name: either an image-text model (CLIP, SigLIP: texts and
 * images) or a BERT sentence embedder (texts), with a {@link Batcher} per input kind in front of it and the zero-shot
 * classifiers requests reuse, so label embeddings are cached across requests. Closing drains the batchers, then
 * closes the model.
 */
final class ServedModel implements AutoCloseable {
    /** Template sets (image models) or label sets (text models) whose classifiers are kept. */
    private static final int CLASSIFIER_CACHE_SIZE = 64;

    private final String name;
    private final long createdEpochSeconds = System.currentTimeMillis() / 1000;
    /** Exactly one of these two is set. */
    private final ImageTextModel imageText;
    private final TextEmbedder textEmbedder;
    private final ToIntFunction<String> tokenCounter;
    private final Batcher<String> texts;
    private final Batcher<ImageInput> images;
    private final BoundedCache<List<String>, ZeroShotClassifier> imageClassifiers =
            new BoundedCache<>(CLASSIFIER_CACHE_SIZE);
    private final BoundedCache<TextLabels, ZeroShotTextClassifier> textClassifiers =
            new BoundedCache<>(CLASSIFIER_CACHE_SIZE);

    /** The key of a text classifier: its labels and hypothesis template. */
    record TextLabels(List<String> labels, String template) {
    }

    private ServedModel(String name, ImageTextModel imageText, TextEmbedder textEmbedder,
                        ServerOptions options, ServerMetrics metrics) {
        this.name = name;
        this.imageText = imageText;
        this.textEmbedder = textEmbedder;
        if (imageText != null) {
            this.tokenCounter = imageTextTokenCounter(imageText);
            this.texts = new Batcher<>(name, "text", imageText::embedTexts, options.maxBatch(), options.maxWait(),
                    options.maxQueuedInputs(), metrics);
            this.images = new Batcher<>(name, "image", imageText::embedImages, options.maxBatch(), options.maxWait(),
                    options.maxQueuedInputs(), metrics);
        } else {
            this.tokenCounter = text -> textEmbedder.tokenizer().encode(text).length;
            this.texts = new Batcher<>(name, "text", textEmbedder::embed, options.maxBatch(), options.maxWait(),
                    options.maxQueuedInputs(), metrics);
            this.images = null;
        }
    }

    static ServedModel of(String name, ImageTextModel model, ServerOptions options, ServerMetrics metrics) {
        return new ServedModel(name, model, null, options, metrics);
    }

    static ServedModel of(String name, TextEmbedder embedder, ServerOptions options, ServerMetrics metrics) {
        return new ServedModel(name, null, embedder, options, metrics);
    }

    /**
     * Loads what {@code spec} names: config.json's {@code model_type} tells CLIP and SigLIP ({@link ImageTextModel})
     * from a BERT sentence embedder ({@link TextEmbedder}); an {@code .onnx} file is a BERT export.
     */
    static ServedModel load(ModelSpec spec, ModelOptions modelOptions, HubOptions hub, ServerOptions options,
                            ServerMetrics metrics) {
        String reference = spec.reference();
        if (reference.endsWith(".onnx")) {
            return of(spec.name(), TextEmbedder.load(Path.of(reference), null, modelOptions), options, metrics);
        }
        String modelType = ModelTypes.of(reference, hub);
        if (modelType.isEmpty() || modelType.startsWith("clip") || modelType.equals(SiglipModel.MODEL_TYPE)) {
            return of(spec.name(), ImageTextModel.load(reference, modelOptions, hub), options, metrics);
        }
        TextEmbedder embedder = Files.isDirectory(Path.of(reference))
                ? TextEmbedder.load(Path.of(reference), null, modelOptions)
                : TextEmbedder.load(reference, modelOptions, hub);
        return of(spec.name(), embedder, options, metrics);
    }

    private static ToIntFunction<String> imageTextTokenCounter(ImageTextModel model) {
        return switch (model) {
            case ClipModel clip -> text -> clip.tokenizer().encode(text).length;
            case SiglipModel siglip -> text -> siglip.tokenizer().encode(text).length;
            default -> text -> 0;
        };
    }

    String name() {
        return name;
    }

    long createdEpochSeconds() {
        return createdEpochSeconds;
    }

    /** {@code clip}, {@code siglip} or {@code bert}. */
    String family() {
        return imageText != null ? imageText.family() : "bert";
    }

    boolean embedsImages() {
        return imageText != null;
    }

    /** Tokens the model reads for these texts (the {@code usage} of a response). */
    int countTokens(List<String> inputs) {
        return inputs.stream().mapToInt(tokenCounter).sum();
    }

    CompletableFuture<float[][]> embedTexts(List<String> inputs) {
        return texts.submit(inputs);
    }

    CompletableFuture<float[][]> embedImages(List<ImageInput> inputs) {
        if (images == null) {
            throw new InputException("model " + name + " embeds texts only");
        }
        return images.submit(inputs);
    }

    /** The image classifier for these templates (null: the family's default), shared by every request using them. */
    ZeroShotClassifier imageClassifier(List<String> templates) {
        List<String> chosen = templates != null ? templates : imageText.defaultTemplates();
        return imageClassifiers.get(List.copyOf(chosen), key -> new ZeroShotClassifier(imageText, key));
    }

    /** The text classifier for these labels and template, shared by every request using them. */
    ZeroShotTextClassifier textClassifier(List<String> labels, String template) {
        return textClassifiers.get(new TextLabels(List.copyOf(labels), template),
                key -> new ZeroShotTextClassifier(textEmbedder, key.labels(), key.template()));
    }

    /** Finishes the queued batches, then releases the model. */
    @Override
    public void close() {
        texts.close();
        if (images != null) {
            images.close();
        }
        if (imageText != null) {
            imageText.close();
        } else {
            textEmbedder.close();
        }
    }
}
