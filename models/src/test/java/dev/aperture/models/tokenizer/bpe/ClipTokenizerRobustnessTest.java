package dev.aperture.models.tokenizer.bpe;

import dev.aperture.models.TestData;
import dev.aperture.models.tokenizer.json.BoundedPattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary strings: lone surrogates, empty and huge inputs (CLIP's split regex stays within its read budget),
 * concurrency, decoding.
 */
class ClipTokenizerRobustnessTest {
    private static ClipTokenizer tiny;

    @BeforeAll
    static void load() {
        tiny = ClipTokenizer.load(TestData.clipTiny());
    }

    @Test
    void emptyTextIsBosThenEos() {
        assertArrayEquals(new int[] {49406, 49407}, tiny.encode(""));
        assertArrayEquals(new int[] {49406, 49407}, tiny.encode(" \t\n "));
    }

    @Test
    void loneSurrogatesAreEncodedAsReplacementCharacter() {
        int[] replacement = tiny.encode("a\uFFFDb");
        assertArrayEquals(replacement, tiny.encode("a\uD800b"), "lone high surrogate");
        assertArrayEquals(replacement, tiny.encode("a\uDC00b"), "lone low surrogate");
        assertArrayEquals(tiny.encode("\uFFFD\uFFFD"), tiny.encode("\uDC00\uD800"), "reversed pair");
        assertArrayEquals(tiny.encode("\uD83D\uDC31"), tiny.encode("🐱"), "a valid pair is kept");
    }

    @Test
    void capitalSigmaLowercasesWithoutFinalFormLikeRust() {
        // Rust's char::to_lowercase has no context: a word-final Σ becomes σ, not ς (Java's String.toLowerCase).
        assertArrayEquals(tiny.encode("οδοσ"), tiny.encode("ΟΔΟΣ"));
        assertNotEquals(Arrays.toString(tiny.encode("οδος")), Arrays.toString(tiny.encode("ΟΔΟΣ")));
    }

    @Test
    void normalizedSpecialTokenMatchesAfterLowercasing() {
        // clip-tiny marks <|endoftext|> normalized: the library matches it in the lowercased text.
        assertArrayEquals(new int[] {49406, 49407, 49407}, tiny.encode("<|ENDOFTEXT|>"));
    }

    @Test
    void unnormalizedSpecialTokenMatchesOnlyVerbatim() {
        // clip-b32 marks <|endoftext|> un-normalized: only the raw text is searched, so a case variant is plain text.
        ClipTokenizer b32 = ClipTokenizer.load(TestData.clipB32());
        assertArrayEquals(new int[] {49406, 49407, 49407}, b32.encode("<|endoftext|>"));
        int[] upper = b32.encode("<|ENDOFTEXT|>");
        assertTrue(upper.length > 3, Arrays.toString(upper));
        assertArrayEquals(b32.encode("<| endoftext |>"), upper, "split as <| endoftext |>");
    }

    @Test
    void megabyteSingleWordEncodesAndDecodesBack() {
        Random random = new Random(7);
        StringBuilder word = new StringBuilder(1 << 20);
        for (int i = 0; i < 1 << 20; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        int[] ids = tiny.encode(word.toString());
        assertTrue(ids.length > 1000 && ids.length < word.length(), "ids: " + ids.length);
        assertEquals(word.toString(), tiny.decode(ids));
    }

    @Test
    void tenMegabyteRepetitiveWordFinishes() {
        // BPE's own scalability, past the default text-length limit (which refuses such texts up front).
        int[] ids = tiny.withMaxTextChars(Integer.MAX_VALUE).encode("a".repeat(10 << 20));
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[ids.length - 1]);
        assertEquals("a".repeat(10 << 20), tiny.decode(ids));
    }

    @Test
    void decodeGivesBackNormalizedText() {
        assertEquals("a photo of a cat", tiny.decode(tiny.encode("A  photo of a CAT")));
        assertEquals("emoji 🐱🚀 café", tiny.decode(tiny.encode("emoji 🐱🚀 café")));
    }

    @Test
    void clipsSplitPatternOnAMillionCharactersOfProseStaysWithinTheBudget() {
        BoundedPattern clip = BoundedPattern.regex(VocabMergesReader.CLIP_SPLIT_REGEX, "clip");
        int copies = (1 << 20) / 44;
        String text = "it's a photo of 3 cats, sleeping on a sofa! ".repeat(copies);
        Matcher matcher = clip.matcher(text);
        int words = 0;
        while (matcher.find()) {
            words++;
        }
        assertEquals(13 * copies, words); // it 's a photo of 3 cats , sleeping on a sofa !
    }

    @Test
    void concurrentEncodingEqualsSequential() throws Exception {
        List<Fixtures.GoldenText> golden = Fixtures.tokenizerGolden();
        ClipTokenizer fresh = ClipTokenizer.load(TestData.clipTiny());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread * 17;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < golden.size(); i++) {
                            Fixtures.GoldenText entry = golden.get((i + offset) % golden.size());
                            if (!Arrays.equals(entry.fastIds(), fresh.encode(entry.text()))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        }
    }

    @Test
    void wordCacheStaysBoundedUnderUniqueWords() {
        WordCache cache = new WordCache(100);
        for (int i = 0; i < 10_000; i++) {
            cache.get("w" + i, piece -> new int[] {piece.length()});
            assertTrue(cache.size() <= 100, "size " + cache.size());
        }
        cache.get("x".repeat(WordCache.MAX_PIECE_CHARS + 1), piece -> new int[] {1});
        assertTrue(cache.size() <= 100);
    }

    @Test
    void wordCacheDoesNotStoreVeryLongPieces() {
        WordCache cache = new WordCache(100);
        cache.get("x".repeat(WordCache.MAX_PIECE_CHARS + 1), piece -> new int[] {1});
        assertEquals(0, cache.size());
        cache.get("x", piece -> new int[] {1});
        assertEquals(1, cache.size());
    }
}
