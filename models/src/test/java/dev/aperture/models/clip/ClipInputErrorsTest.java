package dev.aperture.models.clip;

import dev.aperture.models.TestData;
import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.InputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unusable token ids, masks and pixel arrays are rejected with an InputException naming the input. */
class ClipInputErrorsTest {
    private static CpuBackend backend;
    private static ClipTowers towers;

    @BeforeAll
    static void load() {
        backend = new CpuBackend(1);
        towers = ClipTowers.load(TestData.clipTiny(), backend);
    }

    @AfterAll
    static void close() {
        towers.close();
        backend.close();
    }

    private static void assertMentions(Exception error, String fragment) {
        assertTrue(error.getMessage().contains(fragment), "'" + fragment + "' missing from: " + error.getMessage());
    }

    @Test
    void rejectsTokenIdOutsideVocabulary() {
        InputException error = assertThrows(InputException.class,
                () -> towers.encodeText(new int[][]{{49406, 49408, 49407}}, null));
        assertMentions(error, "Token id 49408 of text 0 at position 1");
    }

    @Test
    void rejectsNegativeTokenId() {
        assertThrows(InputException.class, () -> towers.encodeText(new int[][]{{49406, -1, 49407}}, null));
    }

    @Test
    void rejectsRaggedBatch() {
        InputException error = assertThrows(InputException.class,
                () -> towers.encodeText(new int[][]{{49406, 49407}, {49406, 320, 49407}}, null));
        assertMentions(error, "Text 1 has 3 token ids");
    }

    @Test
    void rejectsMoreIdsThanPositions() {
        int[] ids = new int[78];
        InputException error = assertThrows(InputException.class, () -> towers.encodeText(new int[][]{ids}, null));
        assertMentions(error, "max_position_embeddings");
    }

    @Test
    void rejectsLeftPaddedMask() {
        InputException error = assertThrows(InputException.class,
                () -> towers.encodeText(new int[][]{{49406, 320, 49407}}, new int[][]{{0, 1, 1}}));
        assertMentions(error, "attention mask row 0");
    }

    @Test
    void rejectsMaskOfOtherShape() {
        assertThrows(InputException.class,
                () -> towers.encodeText(new int[][]{{49406, 320, 49407}}, new int[][]{{1, 1}}));
    }

    @Test
    void rejectsImageOfWrongSize() {
        InputException error = assertThrows(InputException.class,
                () -> towers.encodeImages(new float[][]{new float[3 * 32 * 32], new float[3 * 224 * 224]}));
        assertMentions(error, "Image 1 has 150528 pixel values, expected 3072");
    }

    @Test
    void emptyBatchesGiveNoRows() {
        assertEquals(0, towers.encodeText(new int[0][], null).length);
        assertEquals(0, towers.encodeImages(new float[0][]).length);
    }
}
