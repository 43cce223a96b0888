package dev.aperture.models;

import dev.aperture.core.InputException;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.Scoring;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One loader for both families: config.json's model_type picks CLIP or SigLIP, and refuses anything else. */
class ImageTextModelTest {
    private static final HubOptions OFFLINE = HubOptions.fromEnvironment().withOffline(true);

    @Test
    void aClipFolderLoadsAsClipWithSoftmaxScoresSummingToOne() {
        try (ImageTextModel model = ImageTextModel.load(TestData.clipTiny().toString(), ModelOptions.defaults(),
                OFFLINE)) {
            assertInstanceOf(ClipModel.class, model);
            assertEquals(Scoring.SOFTMAX, model.scoring());
            assertEquals(0f, model.logitBias());
            assertEquals(List.of("a photo of a {}."), model.defaultTemplates());
            double sum = new ZeroShotClassifier(model)
                    .classify(ImageInput.of(TestData.clipTiny().resolve("images/gradient_64x64_rgb.png")),
                            List.of("cat", "dog", "car"))
                    .stream().mapToDouble(label -> label.score()).sum();
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @Test
    void aBertFolderIsRefusedNamingItsModelType(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_size\": 384}");
        InputException e = assertThrows(InputException.class, () -> ImageTextModel.load(folder.toString(),
                ModelOptions.defaults(), OFFLINE));
        assertTrue(e.getMessage().contains("\"bert\"") && e.getMessage().contains("SigLIP"), e.getMessage());
    }

    @Test
    void sigmoidScoresAreIndependentOfTheOtherLabels() {
        double[] three = Scoring.SIGMOID.scores(new double[]{2.0, -1.0, 0.5});
        double[] one = Scoring.SIGMOID.scores(new double[]{2.0});
        assertEquals(one[0], three[0], 0.0);
        assertEquals(1 / (1 + Math.exp(-2.0)), one[0], 1e-15);
    }

    @Test
    void softmaxOfHugeLogitsDoesNotOverflow() {
        double[] scores = Scoring.SOFTMAX.scores(new double[]{1000.0, 999.0});
        assertEquals(1 / (1 + Math.exp(-1.0)), scores[0], 1e-12);
        assertEquals(1.0, scores[0] + scores[1], 1e-12);
    }
}
