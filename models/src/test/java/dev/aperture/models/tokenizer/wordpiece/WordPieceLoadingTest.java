package dev.aperture.models.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.FormatException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WordPiece files through the shared tokenizer.json reader: the components it runs, the refusals naming the rest. */
class WordPieceLoadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small uncased BERT tokenizer.json: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then a few words. */
    private static ObjectNode minimal() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("normalizer").put("type", "BertNormalizer").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]");
        String[] tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "cat", "##s", "!"};
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        return root;
    }

    private static WordPieceTokenizer parse(ObjectNode root) {
        return WordPieceTokenizer.parse(root.toString(), "test/tokenizer.json");
    }

    @Test
    void withoutPostProcessorWrapsInClsAndSep() {
        assertArrayEquals(new int[] {2, 4, 5, 6, 7, 3}, parse(minimal()).encode("A CATS!"));
    }

    @Test
    void usesThePostProcessorTheFileNames() {
        ObjectNode root = minimal();
        ObjectNode post = root.putObject("post_processor").put("type", "BertProcessing");
        post.putArray("cls").add("[SEP]").add(3);
        post.putArray("sep").add("[CLS]").add(2);
        assertArrayEquals(new int[] {3, 5, 2}, parse(root).encode("cat"));
    }

    @Test
    void normalizedAddedTokenMatchesAfterLowercasing() {
        ObjectNode root = minimal();
        root.putArray("added_tokens").addObject().put("id", 1).put("content", "[unk]").put("normalized", true);
        assertArrayEquals(new int[] {2, 5, 1, 3}, parse(root).encode("cat [UNK]"));
    }

    @Test
    void rejectsUnsupportedNormalizerNamingFileAndComponent() {
        ObjectNode root = minimal();
        root.putObject("normalizer").put("type", "Precompiled");
        FormatException e = assertThrows(FormatException.class, () -> parse(root));
        assertTrue(e.getMessage().startsWith("test/tokenizer.json: normalizer has unsupported type \"Precompiled\""),
                e.getMessage());
    }

    @Test
    void rejectsByteLevelPreTokenizerSinceWordPieceEncodesText() {
        ObjectNode root = minimal();
        root.putObject("pre_tokenizer").put("type", "ByteLevel");
        FormatException e = assertThrows(FormatException.class, () -> parse(root));
        assertTrue(e.getMessage().contains("pre_tokenizer") && e.getMessage().contains("ByteLevel"), e.getMessage());
    }

    @Test
    void rejectsTruncationShorterThanTheSpecialTokens() {
        ObjectNode root = minimal();
        root.putObject("truncation").put("max_length", 1);
        FormatException e = assertThrows(FormatException.class, () -> parse(root));
        assertTrue(e.getMessage().contains("truncation.max_length"), e.getMessage());
    }
}
