package dev.aperture.search;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ProgressListener;

import java.util.List;
import java.util.Random;

/**
 * A model whose embeddings are another model's, mapped to any width through a fixed random matrix and renormalized:
 * wide embeddings (SigLIP so400m's 1152-d and beyond) without a wide model. The map is linear and injective, so an
 * image still finds itself first with cosine 1, and distinct images stay distinct.
 */
final class WidenedModel extends DelegatingModel {
    private final float[][] projection;

    WidenedModel(ImageTextModel model, int width) {
        super(model);
        Random random = new Random(width);
        projection = new float[width][model.embeddingSize()];
        for (float[] row : projection) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
    }

    @Override
    public float[][] embedImages(List<ImageInput> images, ProgressListener progress) {
        return widened(model.embedImages(images, progress));
    }

    @Override
    public float[][] embedTexts(List<String> texts, ProgressListener progress) {
        return widened(model.embedTexts(texts, progress));
    }

    private float[][] widened(float[][] embeddings) {
        float[][] wide = new float[embeddings.length][];
        for (int e = 0; e < embeddings.length; e++) {
            float[] vector = new float[projection.length];
            double squares = 0;
            for (int row = 0; row < projection.length; row++) {
                double sum = 0;
                for (int i = 0; i < embeddings[e].length; i++) {
                    sum += projection[row][i] * embeddings[e][i];
                }
                vector[row] = (float) sum;
                squares += sum * sum;
            }
            double norm = Math.sqrt(squares);
            for (int row = 0; row < vector.length; row++) {
                vector[row] = (float) (vector[row] / norm);
            }
            wide[e] = vector;
        }
        return wide;
    }

    @Override
    public int embeddingSize() {
        return projection.length;
    }
}
