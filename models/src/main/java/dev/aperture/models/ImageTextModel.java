package dev.aperture.models;

import dev.aperture.core.InputException;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.Scoring;

import java.util.List;

/**
 * A model that embeds texts and images into one space, and scores an image against a text: CLIP
 * ({@link ClipModel}) and SigLIP ({@link SiglipModel}). {@link #load} reads {@code config.json} and picks the family,
 * so callers (the zero-shot classifier, the CLI) work with either without knowing which it is.
 *
 * <p>{@code logit = logitScale() · cos(image, text) + logitBias()}, turned into scores by {@link #scoring()}.
 * Implementations are thread-safe and close as {@link ClipModel} documents.
 */
public interface ImageTextModel extends AutoCloseable {

    /**
     * Loads a model folder or hub id ({@code org/name[@revision]}) of either family: config.json's
     * {@code model_type} says which ({@code siglip}: SigLIP and fixed-resolution SigLIP 2; {@code clip}, or none:
     * CLIP). Only config.json is fetched before the family is known.
     *
     * @throws InputException when the model is of another type (a BERT sentence embedder, say)
     */
    static ImageTextModel load(String folderOrHubId, ModelOptions options, HubOptions hub) {
        String modelType = ModelTypes.of(folderOrHubId, hub);
        if (modelType.equals(SiglipModel.MODEL_TYPE)) {
            return SiglipModel.load(folderOrHubId, options, hub);
        }
        if (modelType.isEmpty() || modelType.startsWith("clip")) {
            return ClipModel.load(folderOrHubId, options, hub);
        }
        throw new InputException(folderOrHubId + " is a \"" + modelType + "\" model (config.json model_type), not"
                + " an image-text model: CLIP (clip) or SigLIP (siglip)");
    }

    /** The family as results and messages name it: {@code clip} or {@code siglip}. */
    String family();

    /** L2-normalized text embeddings, one per text, in order. */
    default float[][] embedTexts(List<String> texts) {
        return embedTexts(texts, ProgressListener.NONE);
    }

    /** L2-normalized text embeddings, reporting progress after each batch. */
    float[][] embedTexts(List<String> texts, ProgressListener progress);

    /** L2-normalized image embeddings, one per image, in order. */
    default float[][] embedImages(List<ImageInput> images) {
        return embedImages(images, ProgressListener.NONE);
    }

    /** L2-normalized image embeddings, reporting progress after each batch. */
    float[][] embedImages(List<ImageInput> images, ProgressListener progress);

    /** Width of the shared embedding space. */
    int embeddingSize();

    /** {@code exp(logit_scale)}: multiplies cosine similarities into logits. */
    float logitScale();

    /** Added to every scaled cosine: SigLIP's learned {@code logit_bias}; 0 for CLIP. */
    float logitBias();

    /** How logits become scores: a softmax over the labels (CLIP) or a sigmoid per label (SigLIP). */
    Scoring scoring();

    /**
     * The prompt templates the family's zero-shot pipeline uses by default: {@code "a photo of a {}."} for CLIP,
     * {@code "This is a photo of {}."} for SigLIP (transformers' pipeline).
     */
    List<String> defaultTemplates();

    /** The limits inputs are checked against. */
    InputLimits limits();

    /** Releases the weights and the backend once running batches end; idempotent. */
    @Override
    void close();
}
