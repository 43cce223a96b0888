package dev.aperture.models.bert;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertConfigTest {
    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    @Test
    void readsHuggingFaceNames() throws IOException {
        BertConfig config = BertConfig.load(write("""
                {"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
                 "intermediate_size": 1536, "hidden_act": "gelu", "max_position_embeddings": 512,
                 "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0}
                """));
        assertEquals(new BertConfig(30522, 384, 6, 12, 1536, Activation.GELU, 512, 2, 1e-12f, 0), config);
        assertEquals(32, config.headDim());
    }

    @Test
    void absentKeysTakeBertBaseDefaults() throws IOException {
        assertEquals(new BertConfig(30522, 768, 12, 12, 3072, Activation.GELU, 512, 2, 1e-12f, 0),
                BertConfig.load(write("{}")));
    }

    @Test
    void rejectsHiddenSizeNotDivisibleByHeads() throws IOException {
        Path file = write("{\"hidden_size\": 100, \"num_attention_heads\": 12}");
        FormatException e = assertThrows(FormatException.class, () -> BertConfig.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("hidden_size 100"), e.getMessage());
    }

    @Test
    void rejectsNonIntegerField() throws IOException {
        Path file = write("{\"num_hidden_layers\": \"six\"}");
        FormatException e = assertThrows(FormatException.class, () -> BertConfig.load(file));
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
    }

    @Test
    void rejectsUnknownActivation() throws IOException {
        Path file = write("{\"hidden_act\": \"swish\"}");
        FormatException e = assertThrows(FormatException.class, () -> BertConfig.load(file));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
    }

    @Test
    void rejectsInvalidJson() throws IOException {
        Path file = write("{\"hidden_size\": ");
        assertThrows(FormatException.class, () -> BertConfig.load(file));
    }

    @Test
    void missingFileIsInputException() {
        assertThrows(InputException.class, () -> BertConfig.load(dir.resolve("absent.json")));
    }
}
