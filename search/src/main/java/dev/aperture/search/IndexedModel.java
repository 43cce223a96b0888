package dev.aperture.search;

import dev.aperture.core.ModelMismatchException;

import java.nio.file.Path;
import java.util.Map;

/**
 * The model an index was built with, recorded in every Lucene commit: embeddings of different models (or of one
 * model's different widths) live in unrelated spaces, so an index answers only the model that built it.
 *
 * @param modelId    how the model was named when the index was created (a hub id or a folder)
 * @param family     {@code clip} or {@code siglip}
 * @param dimensions the embedding width
 */
public record IndexedModel(String modelId, String family, int dimensions) {
    private static final String MODEL_ID = "aperture.model";
    private static final String FAMILY = "aperture.family";
    private static final String DIMENSIONS = "aperture.dimensions";

    Map<String, String> toCommitData() {
        return Map.of(MODEL_ID, modelId, FAMILY, family, DIMENSIONS, Integer.toString(dimensions));
    }

    /** The model a commit's user data names; refuses a Lucene index Aperture did not write. */
    static IndexedModel fromCommitData(Path folder, Map<String, String> commitData) {
        String modelId = commitData.get(MODEL_ID);
        String family = commitData.get(FAMILY);
        String dimensions = commitData.get(DIMENSIONS);
        if (modelId == null || family == null || dimensions == null) {
            throw new ModelMismatchException(folder + " is a Lucene index but not an Aperture image index"
                    + " (its commit names no model)");
        }
        try {
            return new IndexedModel(modelId, family, Integer.parseInt(dimensions));
        } catch (NumberFormatException e) {
            throw new ModelMismatchException(folder + ": the index's embedding width \"" + dimensions
                    + "\" is not a number", e);
        }
    }

    /** Throws unless {@code other} is this model: same id, family and width. */
    void requireSame(Path folder, IndexedModel other) {
        if (!equals(other)) {
            throw new ModelMismatchException("Index " + folder + " was built with model " + describe()
                    + "; it cannot be searched or updated with " + other.describe()
                    + ": use that model, another index folder, or delete this one to rebuild it");
        }
    }

    private String describe() {
        return modelId + " (" + family + ", " + dimensions + "-d embeddings)";
    }
}
