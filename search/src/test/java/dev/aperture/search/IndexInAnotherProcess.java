package dev.aperture.search;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.source.HubOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link InterruptedUpdateTest}: {@code IndexInAnotherProcess MODEL PHOTOS INDEX COMMIT_EVERY}
 * updates INDEX with the images under PHOTOS (links followed), as {@code aperture index} does, committing every
 * COMMIT_EVERY images, until the test kills it.
 */
final class IndexInAnotherProcess {
    private IndexInAnotherProcess() {
    }

    public static void main(String[] args) {
        try (ImageTextModel model = ImageTextModel.load(args[0], ModelOptions.defaults(), HubOptions.fromEnvironment());
             ImageIndex index = ImageIndex.open(Path.of(args[2]), model, InterruptedUpdateTest.MODEL_ID,
                     Integer.parseInt(args[3]))) {
            index.update(ImageFiles.find(List.of(Path.of(args[1])), true), true, ProgressListener.NONE);
        }
    }
}
