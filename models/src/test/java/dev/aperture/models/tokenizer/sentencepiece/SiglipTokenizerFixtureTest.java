package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.models.tokenizer.TokenBatch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every fixture text gives exactly the padded ids transformers 5.18 gave it, for all three SigLIP tokenizers. */
class SiglipTokenizerFixtureTest {

    @Test
    void unigramIdsMatchTransformersForEveryFixtureText() {
        assertBatchMatches(SiglipFixture.unigram(), TokenBatch.Side.RIGHT);
    }

    @Test
    void sentencePieceBpeIdsMatchTransformersForEveryFixtureText() {
        assertBatchMatches(SiglipFixture.sentencePieceBpe(), TokenBatch.Side.RIGHT);
    }

    @Test
    void gemmaTokenizerJsonIdsMatchTransformersForEveryFixtureText() {
        assertBatchMatches(SiglipFixture.gemma(), TokenBatch.Side.LEFT);
    }

    @Test
    void encodeGivesTheUnpaddedIdsOfEachText() {
        for (SiglipFixture fixture : new SiglipFixture[] {SiglipFixture.unigram(), SiglipFixture.sentencePieceBpe(),
                SiglipFixture.gemma()}) {
            SiglipTokenizer tokenizer = SiglipTokenizer.load(fixture.dir());
            TokenBatch batch = tokenizer.encodeBatch(fixture.strings());
            for (int i = 0; i < fixture.texts().size(); i++) {
                int[] row = batch.ids()[i];
                int[] real = tokenizer.paddingSide() == TokenBatch.Side.RIGHT
                        ? Arrays.copyOfRange(row, 0, batch.lengths()[i])
                        : Arrays.copyOfRange(row, row.length - batch.lengths()[i], row.length);
                assertArrayEquals(real, tokenizer.encode(fixture.texts().get(i).text()),
                        fixture.dir().getFileName() + ": " + fixture.texts().get(i).text());
            }
        }
    }

    private static void assertBatchMatches(SiglipFixture fixture, TokenBatch.Side side) {
        SiglipTokenizer tokenizer = SiglipTokenizer.load(fixture.dir());
        assertEquals(fixture.maxLength(), tokenizer.maxLength());
        assertEquals(side, tokenizer.paddingSide());
        TokenBatch batch = tokenizer.encodeBatch(fixture.strings());
        assertEquals(fixture.texts().size(), batch.size());
        for (int i = 0; i < fixture.texts().size(); i++) {
            SiglipFixture.Text text = fixture.texts().get(i);
            assertArrayEquals(text.ids(), batch.ids()[i], "ids of \"" + text.text() + "\"");
            assertMaskMarksRealTokens(batch, i, side);
        }
    }

    /** 1 exactly at the row's real tokens: the first (right padding) or last (left padding) lengths[i] positions. */
    private static void assertMaskMarksRealTokens(TokenBatch batch, int row, TokenBatch.Side side) {
        int width = batch.width();
        int length = batch.lengths()[row];
        int start = side == TokenBatch.Side.RIGHT ? 0 : width - length;
        for (int position = 0; position < width; position++) {
            int expected = position >= start && position < start + length ? 1 : 0;
            assertEquals(expected, batch.attentionMask()[row][position], "mask of row " + row + " at " + position);
        }
    }
}
