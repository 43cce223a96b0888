package dev.aperture.models.source;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.siglip.SiglipModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SigLIP model by hub id: the config alone is fetched to learn the family, then SigLIP's own files (spiece.model
 * rather than CLIP's vocab.json + merges.txt), and the model gives the folder's embeddings; a second load works
 * offline from the cache.
 */
class SiglipFromHubTest {
    private static final String REPO = "google/siglip-tiny-test";
    private static final Path FIXTURE = TestData.dir().resolve("siglip-tiny");

    @TempDir
    Path cacheDir;

    private HubOptions options(URI endpoint, boolean offline) {
        return new HubOptions(endpoint, null, cacheDir, offline, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(10));
    }

    @Test
    void aHubIdLoadsAsSiglipWithItsSentencePieceTokenizerAndAgainOffline() throws Exception {
        ModelOptions cpu = ModelOptions.defaults().withThreads(2);
        List<String> texts = List.of("a photo of a cat", "A PHOTO OF A DOG!!!");
        ImageInput image = ImageInput.of(FIXTURE.resolve("images/gradient_64x64_rgb.png"));
        float[][] expectedTexts;
        float[][] expectedImage;
        URI unreachable = URI.create("http://127.0.0.1:9");
        try (ImageTextModel local = ImageTextModel.load(FIXTURE.toString(), cpu, options(unreachable, true))) {
            expectedTexts = local.embedTexts(texts);
            expectedImage = local.embedImages(List.of(image));
        }
        try (FakeHub hub = FakeHub.serving(REPO, FIXTURE, "config.json", "model.safetensors", "spiece.model",
                "tokenizer_config.json", "preprocessor_config.json");
             ImageTextModel fromHub = ImageTextModel.load(REPO, cpu, options(hub.endpoint(), false))) {
            assertInstanceOf(SiglipModel.class, fromHub);
            assertTrue(Files.isRegularFile(((SiglipModel) fromHub).directory().resolve("spiece.model")));
            float[][] embeddings = fromHub.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expectedTexts[i], embeddings[i], 0f, texts.get(i));
            }
            assertArrayEquals(expectedImage[0], fromHub.embedImages(List.of(image))[0], 0f);
        }
        try (ImageTextModel offline = ImageTextModel.load(REPO, cpu, options(unreachable, true))) {
            assertArrayEquals(expectedTexts[0], offline.embedTexts(texts.subList(0, 1))[0], 0f);
        }
    }
}
