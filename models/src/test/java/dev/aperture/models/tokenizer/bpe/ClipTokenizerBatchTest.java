package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.TestData;
import dev.aperture.models.tokenizer.TokenBatch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Padded, truncated batches against golden/golden.json (fast-tokenizer ids padded to 77). */
class ClipTokenizerBatchTest {

    private static List<String> texts(JsonNode golden) {
        List<String> texts = new ArrayList<>();
        golden.path("texts").forEach(t -> texts.add(t.path("text").asText()));
        return texts;
    }

    @Test
    void b32BatchPaddedToMaxLengthMatchesGoldenIdsAndMasks() {
        Path dir = TestData.clipB32();
        JsonNode golden = Fixtures.json(dir.resolve("golden/golden.json"));
        ClipTokenizer tokenizer = ClipTokenizer.load(dir);
        TokenBatch batch = tokenizer.encodeBatch(texts(golden), Padding.MAX_LENGTH);
        assertEquals(13, batch.size());
        assertEquals(77, batch.width());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode text = golden.path("texts").get(i);
            assertArrayEquals(Fixtures.ints(text.path("input_ids")), batch.ids()[i], "input_ids of text " + i);
            assertArrayEquals(Fixtures.ints(text.path("attention_mask")), batch.attentionMask()[i],
                    "attention_mask of text " + i);
            int unpadded = Math.min(77, text.path("fast_ids_unpadded").size());
            assertEquals(unpadded, batch.lengths()[i], "length of text " + i);
        }
    }

    @Test
    void tinyBatchPaddedToMaxLengthMatchesGoldenFastIdsAndMasks() {
        Path dir = TestData.clipTiny();
        JsonNode golden = Fixtures.json(dir.resolve("golden/golden.json"));
        TokenBatch batch = ClipTokenizer.load(dir).encodeBatch(texts(golden), Padding.MAX_LENGTH);
        for (int i = 0; i < batch.size(); i++) {
            JsonNode text = golden.path("texts").get(i);
            assertArrayEquals(Fixtures.ints(text.path("fast_input_ids")), batch.ids()[i], "fast_input_ids of text " + i);
            assertArrayEquals(Fixtures.ints(text.path("fast_attention_mask")), batch.attentionMask()[i],
                    "fast_attention_mask of text " + i);
        }
    }

    @Test
    void truncationKeepsBosFirst75TextTokensAndEos() {
        Path dir = TestData.clipB32();
        JsonNode longText = Fixtures.json(dir.resolve("golden/golden.json")).path("texts").get(10);
        int[] full = Fixtures.ints(longText.path("fast_ids_unpadded"));
        ClipTokenizer tokenizer = ClipTokenizer.load(dir);
        assertArrayEquals(full, tokenizer.encode(longText.path("text").asText()), "encode() does not truncate");
        int[] row = tokenizer.encodeBatch(List.of(longText.path("text").asText()), Padding.LONGEST).ids()[0];
        assertEquals(77, row.length);
        assertEquals(tokenizer.bosId(), row[0]);
        assertArrayEquals(Arrays.copyOfRange(full, 1, 76), Arrays.copyOfRange(row, 1, 76));
        assertEquals(tokenizer.eosId(), row[76]);
    }

    @Test
    void longestPaddingPadsToTheLongestRowWithPadId() {
        ClipTokenizer tokenizer = ClipTokenizer.load(TestData.clipTiny());
        TokenBatch batch = tokenizer.encodeBatch(List.of("a photo of a cat", "", "dog"), Padding.LONGEST);
        assertEquals(7, batch.width());
        assertArrayEquals(new int[] {7, 2, 3}, batch.lengths());
        assertArrayEquals(new int[] {49406, 49407, 49407, 49407, 49407, 49407, 49407}, batch.ids()[1]);
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 0}, batch.attentionMask()[1]);
        assertArrayEquals(tokenizer.encode("a photo of a cat"), batch.ids()[0]);
    }

    @Test
    void emptyBatchHasNoRows() {
        TokenBatch batch = ClipTokenizer.load(TestData.clipTiny()).encodeBatch(List.of(), Padding.LONGEST);
        assertEquals(0, batch.size());
        assertEquals(0, batch.width());
    }

    @Test
    void clipSpecialIdsAndContextLength() {
        ClipTokenizer tokenizer = ClipTokenizer.load(TestData.clipB32());
        assertEquals(49406, tokenizer.bosId());
        assertEquals(49407, tokenizer.eosId());
        assertEquals(49407, tokenizer.padId());
        assertEquals(77, tokenizer.contextLength());
    }
}
