package dev.aperture.models.tokenizer.sentencepiece;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixture's nmt_nfkc precompiled charsmap and whitespace rules, against what sentencepiece's own normalizer
 * gives for the same model.
 */
class SentencePieceNormalizerTest {
    private static final SentencePieceModel MODEL =
            SentencePieceModel.read(SiglipFixture.unigram().dir().resolve("spiece.model"));
    private static final SentencePieceNormalizer NORMALIZER =
            new SentencePieceNormalizer(MODEL.normalizer(), List.of(), MODEL.source());

    @Test
    void charsMapAppliesNfkcRules() {
        assertEquals("\u2581fine\u2581ABC", NORMALIZER.normalize("\uFB01ne \uFF21\uFF22\uFF23"));
        assertEquals("\u25811", NORMALIZER.normalize("\u2460"));
    }

    @Test
    void accentedLettersPassThroughComposed() {
        assertEquals("\u2581Caf\u00E9\u2581na\u00EFve", NORMALIZER.normalize("Caf\u00E9 na\u00EFve"));
    }

    @Test
    void whitespaceIsCollapsedStrippedAndEscaped() {
        assertEquals("\u2581x\u2581y", NORMALIZER.normalize("x\u3000y"));
        assertEquals("\u2581a\u2581b", NORMALIZER.normalize("   a    b   "));
        assertEquals("", NORMALIZER.normalize("    "));
    }

    @Test
    void withoutDummyPrefixTheTextStartsBare() {
        SentencePieceNormalizer bare = new SentencePieceNormalizer(MODEL.normalizer().withoutDummyPrefix(), List.of(),
                MODEL.source());
        assertEquals("a\u2581b", bare.normalize(" a b"));
    }

    @Test
    void modelCarriesANonEmptyCharsMap() {
        assertEquals(true, MODEL.normalizer().precompiledCharsMap().length > 0);
    }
}
