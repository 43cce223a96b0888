package dev.aperture.search;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.zeroshot.Scoring;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A model that counts the images it is asked to embed, so that tests can tell what an update re-embedded. */
final class CountingModel implements ImageTextModel {
    private final ImageTextModel model;
    private final AtomicInteger imagesEmbedded = new AtomicInteger();

    CountingModel(ImageTextModel model) {
        this.model = model;
    }

    /** Images embedded successfully so far. */
    int imagesEmbedded() {
        return imagesEmbedded.get();
    }

    @Override
    public float[][] embedImages(List<ImageInput> images, ProgressListener progress) {
        float[][] embeddings = model.embedImages(images, progress);
        imagesEmbedded.addAndGet(embeddings.length);
        return embeddings;
    }

    @Override
    public String family() {
        return model.family();
    }

    @Override
    public float[][] embedTexts(List<String> texts, ProgressListener progress) {
        return model.embedTexts(texts, progress);
    }

    @Override
    public int embeddingSize() {
        return model.embeddingSize();
    }

    @Override
    public float logitScale() {
        return model.logitScale();
    }

    @Override
    public float logitBias() {
        return model.logitBias();
    }

    @Override
    public Scoring scoring() {
        return model.scoring();
    }

    @Override
    public List<String> defaultTemplates() {
        return model.defaultTemplates();
    }

    @Override
    public InputLimits limits() {
        return model.limits();
    }

    @Override
    public void close() {
        model.close();
    }
}
