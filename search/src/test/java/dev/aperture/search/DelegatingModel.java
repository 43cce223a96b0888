package dev.aperture.search;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.zeroshot.Scoring;

import java.util.List;

/** A test model that forwards every call to another; subclasses override what they change about it. */
abstract class DelegatingModel implements ImageTextModel {
    protected final ImageTextModel model;

    DelegatingModel(ImageTextModel model) {
        this.model = model;
    }

    @Override
    public float[][] embedImages(List<ImageInput> images, ProgressListener progress) {
        return model.embedImages(images, progress);
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
    public String family() {
        return model.family();
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
