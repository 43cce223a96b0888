package dev.aperture.search;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ProgressListener;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A model that counts the images it is asked to embed, so that tests can tell what an update re-embedded. */
final class CountingModel extends DelegatingModel {
    private final AtomicInteger imagesEmbedded = new AtomicInteger();

    CountingModel(ImageTextModel model) {
        super(model);
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
}
