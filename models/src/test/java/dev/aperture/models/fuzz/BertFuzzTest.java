package dev.aperture.models.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.models.bert.MiniLmFixture;
import dev.aperture.models.bert.onnx.OnnxModel;
import dev.aperture.models.tokenizer.wordpiece.WordPieceTokenizer;
import dev.aperture.testkit.CorpusMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the text-embedding side: WordPiece {@code tokenizer.json} files, the real all-MiniLM-L6-v2
 * WordPiece tokenizer on arbitrary text (bytes decoded as UTF-8, so invalid sequences become U+FFFD, and as UTF-16
 * code units, so lone surrogates occur), and the ONNX reader on arbitrary bytes. The contract: a typed
 * {@link ApertureException} or a usable result. Corpora: {@code BertFuzzTestInputs/<method>/}.
 */
@Tag("slow")
class BertFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir();
    private static final WordPieceTokenizer MINILM = WordPieceTokenizer.load(MiniLmFixture.tokenizerFile());

    @FuzzTest(maxDuration = "30s")
    void parseWordPieceTokenizer(byte[] bytes) {
        try {
            WordPieceTokenizer tokenizer = WordPieceTokenizer.parse(new String(bytes, StandardCharsets.UTF_8), "fuzz");
            tokenizer.encode("Hello, world! The cats are playing 中文 [MASK]");
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void encodeWordPieceText(byte[] bytes) {
        assertWellFormed(MINILM.encode(new String(bytes, StandardCharsets.UTF_8)));
        char[] units = new char[bytes.length / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) ((bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF));
        }
        String text = new String(units);
        assertWellFormed(MINILM.encode(text));
        int[][] batch = MINILM.encodeBatch(List.of(text, "short")).ids();
        assertEquals(batch[0].length, batch[1].length, "a batch is padded to one width");
    }

    @FuzzTest(maxDuration = "30s")
    void openOnnx(byte[] bytes) {
        Path file = FuzzFiles.write(DIR.resolve("model.onnx"), bytes);
        try (OnnxModel model = OnnxModel.open(file)) {
            for (String name : model.names()) {
                long bytesOfTensor = model.tensor(name).byteSize();
                assertTrue(bytesOfTensor >= 0 && bytesOfTensor <= bytes.length, name + " claims " + bytesOfTensor + " bytes");
            }
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    private static void assertWellFormed(int[] ids) {
        assertTrue(ids.length >= 2 && ids.length <= MINILM.maxLength(), "length " + ids.length);
        for (int id : ids) {
            assertTrue(id >= 0 && id < MINILM.vocabSize(), "id " + id);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedWordPieceTokenizersLoadOrAreRefusedWithATypedError() {
        CorpusMutator.run(BertFuzzTest.class, "parseWordPieceTokenizer", 1 << 14, this::parseWordPieceTokenizer);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedTextsAreTokenizedByWordPiece() {
        CorpusMutator.run(BertFuzzTest.class, "encodeWordPieceText", 1 << 16, this::encodeWordPieceText);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedOnnxFilesOpenOrAreRefusedWithATypedError() {
        CorpusMutator.run(BertFuzzTest.class, "openOnnx", 1 << 12, this::openOnnx);
    }
}
