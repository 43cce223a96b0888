package dev.aperture.models.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.bert.MiniLmFixture;
import dev.aperture.models.tokenizer.TokenBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTokenizerTest {
    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = WordPieceTokenizer.load(MiniLmFixture.tokenizerFile());
    }

    @Test
    void reproducesGoldenTokenIdsForEveryEntry() {
        List<String> failures = new ArrayList<>();
        JsonNode entries = MiniLmFixture.golden().get("entries");
        for (JsonNode entry : entries) {
            int[] expected = MiniLmFixture.ints(entry.get("token_ids"));
            int[] actual = tokenizer.encode(entry.get("text").asText());
            if (!Arrays.equals(expected, actual)) {
                failures.add("entry " + entry.get("index") + " " + entry.get("text") + "\n  expected "
                        + Arrays.toString(expected) + "\n  actual   " + Arrays.toString(actual));
            }
        }
        assertEquals(44, entries.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void truncatesTo128KeepingSep() {
        int[] ids = tokenizer.encode("word ".repeat(300));
        assertEquals(128, tokenizer.maxLength());
        assertEquals(128, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[127]);
    }

    @Test
    void emptyTextIsClsSep() {
        assertArrayEquals(new int[] {101, 102}, tokenizer.encode(""));
        assertArrayEquals(new int[] {101, 102}, tokenizer.encode(" \t\n "));
    }

    @Test
    void literalSpecialTokensAreCaseSensitive() {
        assertArrayEquals(new int[] {101, 103, 102}, tokenizer.encode("[MASK]"));
        assertTrue(tokenizer.encode("[mask]").length == 5, "lowercase [mask] splits as [, mask, ]");
    }

    @Test
    void wordLongerThan100CharsIsUnknown() {
        assertArrayEquals(new int[] {101, 100, 102}, tokenizer.encode("a".repeat(101)));
    }

    @Test
    void padsBatchesWithPadIdToTheLongest() {
        TokenBatch batch = tokenizer.encodeBatch(List.of("Hello world", "The quick brown fox jumps over the lazy dog."));
        assertEquals(12, batch.width());
        assertArrayEquals(new int[] {4, 12}, batch.lengths());
        assertArrayEquals(new int[] {101, 7592, 2088, 102, 0, 0, 0, 0, 0, 0, 0, 0}, batch.ids()[0]);
    }

    @Test
    void rejectsFileThatIsNotJson(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{not json");
        FormatException e = assertThrows(FormatException.class, () -> WordPieceTokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void rejectsNonWordPieceModel(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}");
        FormatException e = assertThrows(FormatException.class, () -> WordPieceTokenizer.load(file));
        assertTrue(e.getMessage().contains("BPE"), e.getMessage());
    }

    @Test
    void rejectsVocabularyWithoutClsToken(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"),
                "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"[SEP]\":1}}}");
        FormatException e = assertThrows(FormatException.class, () -> WordPieceTokenizer.load(file));
        assertTrue(e.getMessage().contains("[CLS]"), e.getMessage());
    }

    @Test
    void missingFileIsInputException(@TempDir Path dir) {
        assertThrows(InputException.class, () -> WordPieceTokenizer.load(dir.resolve("absent.json")));
    }
}
