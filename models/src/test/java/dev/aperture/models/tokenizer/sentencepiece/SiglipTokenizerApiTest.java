package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SiglipTokenizer's contract beyond the ids: sizes, decode, limits and loading errors. */
class SiglipTokenizerApiTest {
    private static final SiglipTokenizer UNIGRAM = SiglipTokenizer.load(SiglipFixture.unigram().dir());
    private static final SiglipTokenizer SPM_BPE = SiglipTokenizer.load(SiglipFixture.sentencePieceBpe().dir());
    private static final SiglipTokenizer GEMMA = SiglipTokenizer.load(SiglipFixture.gemma().dir());

    @Test
    void sizesAndPadIdsComeFromTheFolder() {
        for (SiglipTokenizer tokenizer : List.of(UNIGRAM, SPM_BPE, GEMMA)) {
            assertEquals(420, tokenizer.vocabSize());
            assertEquals(16, tokenizer.maxLength());
        }
        assertEquals(1, UNIGRAM.padId());   // "</s>"
        assertEquals(1, SPM_BPE.padId());
        assertEquals(0, GEMMA.padId());     // "<pad>"
    }

    @Test
    void decodeGivesBackTheNormalizedTextWithoutSpecialTokens() {
        for (SiglipTokenizer tokenizer : List.of(UNIGRAM, SPM_BPE, GEMMA)) {
            assertEquals("a photo of a dog", tokenizer.decode(tokenizer.encode("A photo of a dog")));
            assertEquals("", tokenizer.decode(tokenizer.encodeBatch(List.of("")).ids()[0]));
        }
        assertEquals("emoji \uD83D\uDC31 party", SPM_BPE.decode(SPM_BPE.encode("emoji \uD83D\uDC31 party")));
    }

    @Test
    void decodeRefusesIdsOutsideTheVocabulary() {
        for (SiglipTokenizer tokenizer : List.of(UNIGRAM, GEMMA)) {
            assertThrows(InputException.class, () -> tokenizer.decode(new int[] {420}));
            assertThrows(InputException.class, () -> tokenizer.decode(new int[] {-1}));
        }
    }

    @Test
    void textsOverTheLimitAreRefusedBeforeEncoding() {
        SiglipTokenizer limited = UNIGRAM.withMaxTextChars(5);
        assertEquals(5, limited.maxTextChars());
        assertThrows(ResourceLimitException.class, () -> limited.encode("123456"));
        assertThrows(ResourceLimitException.class, () -> limited.encodeBatch(List.of("ok", "123456")));
        assertEquals(UNIGRAM.encode("12345").length, limited.encode("12345").length);
        assertThrows(InputException.class, () -> UNIGRAM.withMaxTextChars(-1));
        assertThrows(InputException.class, () -> UNIGRAM.encode(null));
    }

    @Test
    void unknownPaddingSideIsAFormatException(@TempDir Path dir) throws IOException {
        Path fixture = SiglipFixture.unigram().dir();
        Files.copy(fixture.resolve("spiece.model"), dir.resolve("spiece.model"));
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"tokenizer_class\": \"SiglipTokenizer\", \"padding_side\": \"middle\"}");
        FormatException e = assertThrows(FormatException.class, () -> SiglipTokenizer.load(dir));
        assertEquals(true, e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void folderWithoutTheTokenizerFileItsClassNeedsIsAnInputException(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"Siglip2Tokenizer\"}");
        assertThrows(InputException.class, () -> SiglipTokenizer.load(dir));
        assertThrows(InputException.class, () -> SiglipTokenizer.load(dir.resolve("missing")));
    }
}
