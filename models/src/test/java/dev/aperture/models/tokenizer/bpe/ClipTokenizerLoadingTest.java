package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading rules: which files are used, and the typed exceptions for missing, malformed or unsupported files. */
class ClipTokenizerLoadingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();


    private static Path write(Path dir, String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
        return dir;
    }

    private static Path writeJson(Path dir, ObjectNode tokenizer) throws IOException {
        return write(dir, "tokenizer.json", MAPPER.writeValueAsString(tokenizer));
    }

    @Test
    void minimalTokenizerJsonLoadsAndMerges(@TempDir Path dir) throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.load(writeJson(dir, MinimalTokenizerJson.create()));
        assertArrayEquals(new int[] {6, 4, 6}, tokenizer.encode("AB"));
        assertArrayEquals(new int[] {6, 1, 2, 6}, tokenizer.encode("ba"), "no merge rule for b then a</w>");
    }

    @Test
    void rejectsMissingFolder(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> ClipTokenizer.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void rejectsFolderWithoutTokenizerFilesNamingWhatWasLookedFor(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("vocab.json")
                && e.getMessage().contains("merges.txt"), e.getMessage());
    }

    @Test
    void rejectsVocabWithoutMerges(@TempDir Path dir) throws IOException {
        write(dir, "vocab.json", "{\"a\": 0}");
        InputException e = assertThrows(InputException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("merges.txt is missing"), e.getMessage());
    }

    @Test
    void rejectsTokenizerJsonThatIsNotJson(@TempDir Path dir) throws IOException {
        write(dir, "tokenizer.json", "{\"model\": ");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedNormalizerNamingFileAndComponent(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        json.putObject("normalizer").put("type", "BertNormalizer");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("normalizer")
                && e.getMessage().contains("BertNormalizer"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedModelType(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        ((ObjectNode) json.get("model")).put("type", "WordPiece");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("model") && e.getMessage().contains("WordPiece"), e.getMessage());
    }

    @Test
    void rejectsPreTokenizerWithoutByteLevel(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        json.putObject("pre_tokenizer").put("type", "Whitespace");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("pre_tokenizer") && e.getMessage().contains("Whitespace"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedPostProcessor(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        json.putObject("post_processor").put("type", "Mystery");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("post_processor") && e.getMessage().contains("Mystery"), e.getMessage());
    }

    @Test
    void rejectsMergeOfTokenOutsideVocabulary(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        ((ArrayNode) json.get("model").get("merges")).add("x y");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("model.merges") && e.getMessage().contains("\"x\""), e.getMessage());
    }

    @Test
    void rejectsInvalidSplitRegex(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        ObjectNode sequence = json.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = sequence.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split").put("behavior", "Removed").put("invert", true);
        split.putObject("pattern").put("Regex", "[unclosed");
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false);
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("pre_tokenizer.pretokenizers[0]"), e.getMessage());
    }

    @Test
    void rejectsMalformedMergesLine(@TempDir Path dir) throws IOException {
        write(dir, "vocab.json", "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|startoftext|>\": 3, \"<|endoftext|>\": 4}");
        write(dir, "merges.txt", "#version: 0.2\na b\nthree part line\n");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("merges.txt") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void rejectsMalformedTokenizerConfig(@TempDir Path dir) throws IOException {
        writeJson(dir, MinimalTokenizerJson.create());
        write(dir, "tokenizer_config.json", "[1, 2]");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void prefersTokenizerJsonOverVocabAndMerges(@TempDir Path dir) throws IOException {
        writeJson(dir, MinimalTokenizerJson.create());
        write(dir, "vocab.json", "not even json");
        write(dir, "merges.txt", "garbage");
        assertArrayEquals(new int[] {6, 4, 6}, ClipTokenizer.load(dir).encode("ab"));
    }

    @Test
    void contextLengthComesFromModelMaxLengthCappedByPositions(@TempDir Path dir) throws IOException {
        writeJson(dir, MinimalTokenizerJson.create());
        write(dir, "tokenizer_config.json", "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(77, ClipTokenizer.load(dir).contextLength(), "no-limit sentinel falls back to CLIP's 77");
        write(dir, "tokenizer_config.json", "{\"model_max_length\": 64}");
        assertEquals(64, ClipTokenizer.load(dir).contextLength());
        write(dir, "config.json", "{\"text_config\": {\"max_position_embeddings\": 32}}");
        assertEquals(32, ClipTokenizer.load(dir).contextLength());
    }

    @Test
    void rejectsAbsurdTokenIdInsteadOfAllocatingForIt(@TempDir Path dir) throws IOException {
        ObjectNode json = MinimalTokenizerJson.create();
        ((ObjectNode) json.get("model").get("vocab")).put("b", 2_000_000_000);
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(writeJson(dir, json)));
        assertTrue(e.getMessage().contains("model.vocab") && e.getMessage().contains("\"b\""), e.getMessage());
    }

    @Test
    void rejectsNullTextWithInputException(@TempDir Path dir) throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.load(writeJson(dir, MinimalTokenizerJson.create()));
        assertThrows(InputException.class, () -> tokenizer.encode(null));
        assertThrows(InputException.class, () -> tokenizer.encodeBatch(java.util.Arrays.asList("a", null),
                Padding.LONGEST));
    }
}
