package dev.aperture.models.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.models.TestData;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.bpe.Padding;
import dev.aperture.testkit.CorpusMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the CLIP tokenizer: its files ({@code tokenizer.json}; {@code vocab.json} + {@code merges.txt},
 * given as one input split at the first NUL byte) and arbitrary text. Text inputs are read as UTF-16 code units,
 * two bytes each, so unpaired surrogates, NULs and every plane occur. A tokenizer that loads must encode and
 * decode; every text must give BOS ... EOS with ids in the vocabulary, and a truncated, padded batch row.
 * Corpora: {@code TokenizerFuzzTestInputs/<method>/}.
 */
@Tag("slow")
class TokenizerFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir();
    private static final ClipTokenizer TINY = ClipTokenizer.load(TestData.clipTiny());

    @FuzzTest(maxDuration = "30s")
    void loadTokenizerJson(byte[] bytes) {
        FuzzFiles.write(DIR.resolve("tokenizer.json"), bytes);
        useLoadedTokenizer();
    }

    @FuzzTest(maxDuration = "30s")
    void loadVocabAndMerges(byte[] bytes) {
        FuzzFiles.delete(DIR.resolve("tokenizer.json"));
        int split = indexOfNul(bytes);
        FuzzFiles.write(DIR.resolve("vocab.json"), Arrays.copyOfRange(bytes, 0, split));
        FuzzFiles.write(DIR.resolve("merges.txt"), Arrays.copyOfRange(bytes, Math.min(bytes.length, split + 1),
                bytes.length));
        useLoadedTokenizer();
    }

    @FuzzTest(maxDuration = "30s")
    void encodeText(byte[] bytes) {
        char[] units = new char[bytes.length / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) ((bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF));
        }
        String text = new String(units);
        int[] ids = TINY.encode(text);
        assertEquals(TINY.bosId(), ids[0]);
        assertEquals(TINY.eosId(), ids[ids.length - 1]);
        TINY.decode(ids);  // every id is in the vocabulary, or this throws
        TokenBatch batch = TINY.encodeBatch(List.of(text, text + text), Padding.MAX_LENGTH);
        for (int[] row : batch.ids()) {
            assertEquals(TINY.contextLength(), row.length);
        }
        assertTrue(batch.ids()[0][batch.lengths()[0] - 1] == TINY.eosId(), "EOS ends the truncated row");
    }

    private static void useLoadedTokenizer() {
        try {
            ClipTokenizer tokenizer = ClipTokenizer.load(DIR);
            tokenizer.decode(tokenizer.encode("A photo of a CAT, 🐱 <|endoftext|> ab"));
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return bytes.length;
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedTokenizerJsonLoadsOrIsRefusedWithATypedError() {
        CorpusMutator.run(TokenizerFuzzTest.class, "loadTokenizerJson", 1 << 18, this::loadTokenizerJson);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedVocabAndMergesLoadOrAreRefusedWithATypedError() {
        CorpusMutator.run(TokenizerFuzzTest.class, "loadVocabAndMerges", 1 << 18, this::loadVocabAndMerges);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedTextsAreTokenized() {
        CorpusMutator.run(TokenizerFuzzTest.class, "encodeText", 1 << 16, this::encodeText);
    }
}
