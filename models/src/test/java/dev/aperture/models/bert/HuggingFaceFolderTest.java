package dev.aperture.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.bert.onnx.OnnxModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same MiniLM weights, converted from the ONNX file to a Hugging Face folder (model.safetensors with "bert."
 * names, config.json, tokenizer.json), load through the folder path and give bit-identical embeddings.
 */
class HuggingFaceFolderTest {
    private static final List<String> SAMPLE = List.of("Hello world", "A man is playing a guitar.", "");

    private static Path folder;
    private static Backend backend;

    @BeforeAll
    static void convert() throws IOException {
        folder = MiniLmFixture.writeHuggingFaceFolder(Files.createTempDirectory("minilm-hf"));
        backend = MiniLmFixture.backend();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        backend.close();
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void folderGivesIdenticalEmbeddingsToOnnx() {
        float[][] fromFolder;
        try (TextEmbedder embedder = TextEmbedder.load(folder, backend)) {
            assertEquals(12, embedder.encoder().config().numAttentionHeads());
            fromFolder = embedder.embed(SAMPLE);
        }
        try (TextEmbedder embedder = TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(), backend)) {
            float[][] fromOnnx = embedder.embed(SAMPLE);
            for (int i = 0; i < SAMPLE.size(); i++) {
                assertArrayEquals(fromOnnx[i], fromFolder[i], 0f, SAMPLE.get(i));
            }
        }
    }

    @Test
    void sentenceBertConfigMaxSeqLengthTruncatesAt256() throws IOException {
        Path stFolder = Files.createDirectories(folder.resolve("st256"));
        for (String file : List.of("config.json", "tokenizer.json")) {
            Files.copy(folder.resolve(file), stFolder.resolve(file));
        }
        Files.createSymbolicLink(stFolder.resolve("model.safetensors"), folder.resolve("model.safetensors"));
        Files.writeString(stFolder.resolve("sentence_bert_config.json"),
                "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        int checked = 0;
        try (TextEmbedder embedder = TextEmbedder.load(stFolder, backend)) {
            assertEquals(256, embedder.tokenizer().maxLength());
            for (JsonNode entry : MiniLmFixture.golden().get("entries")) {
                if (entry.has("embedding_if_max_length_256")) {
                    float[] expected = MiniLmFixture.floats(entry.get("embedding_if_max_length_256"));
                    assertArrayEquals(expected, embedder.embed(entry.get("text").asText()), 1e-4f);
                    checked++;
                }
            }
        }
        assertEquals(3, checked);
    }

    @Test
    void clsPoolingFromSentenceTransformersModulesJson() throws IOException {
        Path clsFolder = Files.createDirectories(folder.resolve("cls"));
        Files.createDirectories(clsFolder.resolve("1_Pooling"));
        for (String file : List.of("config.json", "tokenizer.json")) {
            Files.copy(folder.resolve(file), clsFolder.resolve(file));
        }
        Files.createSymbolicLink(clsFolder.resolve("model.safetensors"), folder.resolve("model.safetensors"));
        Files.writeString(clsFolder.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
                """);
        Files.writeString(clsFolder.resolve("1_Pooling/config.json"),
                "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
        JsonNode entry = MiniLmFixture.golden().get("entries").get(1);
        try (TextEmbedder embedder = TextEmbedder.load(clsFolder, backend)) {
            float[] cls = embedder.embed(entry.get("text").asText());
            // No Normalize module: the raw [CLS] row of the last hidden state.
            float[] expected = MiniLmFixture.floats(entry.get("cls_last_hidden_first8"));
            assertArrayEquals(expected, Arrays.copyOf(cls, 8), 1e-4f);
        }
    }
}
