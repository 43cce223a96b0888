package dev.aperture.models.source;

import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.MiniLmFixture;
import dev.aperture.models.bert.TextEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A sentence-transformers model by hub id: TextEmbedder resolves it through the hub cache like any model, and gives
 * the embeddings of the same weights loaded from their ONNX file; a second load works offline.
 */
class TextEmbedderFromHubTest {
    private static final String REPO = "sentence-transformers/all-MiniLM-L6-v2";
    private static final List<String> SAMPLE = List.of("Hello world", "A man is playing a guitar.");

    @TempDir
    Path cacheDir;
    @TempDir
    Path folder;

    private HubOptions options(URI endpoint, boolean offline) {
        return new HubOptions(endpoint, null, cacheDir, offline, DownloadListener.quiet(), ModelFiles.clip(),
                Duration.ofSeconds(10));
    }

    @Test
    void aHubIdGivesTheSameEmbeddingsAsTheOnnxFileAndLoadsAgainOffline() throws Exception {
        MiniLmFixture.writeHuggingFaceFolder(folder);
        Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
        ModelOptions cpu = ModelOptions.defaults().withThreads(2);
        float[][] expected;
        try (TextEmbedder fromOnnx = TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(), cpu)) {
            expected = fromOnnx.embed(SAMPLE);
        }
        try (FakeHub hub = FakeHub.serving(REPO, folder, "config.json", "tokenizer.json", "model.safetensors",
                "sentence_bert_config.json");
             TextEmbedder fromHub = TextEmbedder.load(REPO, cpu, options(hub.endpoint(), false))) {
            assertEquals(256, fromHub.tokenizer().maxLength());
            float[][] embeddings = fromHub.embed(SAMPLE);
            for (int i = 0; i < SAMPLE.size(); i++) {
                assertArrayEquals(expected[i], embeddings[i], 0f, SAMPLE.get(i));
            }
        }
        try (TextEmbedder offline = TextEmbedder.load(REPO, cpu, options(URI.create("http://127.0.0.1:9"), true))) {
            assertArrayEquals(expected[0], offline.embed(SAMPLE.get(0)), 0f);
        }
    }
}
