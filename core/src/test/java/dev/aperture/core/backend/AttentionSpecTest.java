package dev.aperture.core.backend;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionSpecTest {
    @Test
    void rejectsNonPositiveDimensions() {
        assertThrows(InputException.class, () -> new AttentionSpec(0, 4, 2, 8, 1f, false, null));
        assertThrows(InputException.class, () -> new AttentionSpec(1, 0, 2, 8, 1f, false, null));
        assertThrows(InputException.class, () -> new AttentionSpec(1, 4, 0, 8, 1f, false, null));
        assertThrows(InputException.class, () -> new AttentionSpec(1, 4, 2, -8, 1f, false, null));
    }

    @Test
    void rejectsOneKeyLengthTooFewOrTooMany() {
        assertThrows(InputException.class, () -> new AttentionSpec(2, 4, 1, 2, 1f, false, new int[] {4}));
        assertThrows(InputException.class, () -> new AttentionSpec(1, 4, 1, 2, 1f, false, new int[] {4, 4}));
    }

    @Test
    void rejectsAKeyLengthOutsideTheSequenceNamingIt() {
        InputException longer = assertThrows(InputException.class,
                () -> new AttentionSpec(2, 4, 1, 2, 1f, false, new int[] {4, 5}));
        assertTrue(longer.getMessage().contains("Key length 5 of sequence 1"), longer.getMessage());
        assertThrows(InputException.class, () -> new AttentionSpec(1, 4, 1, 2, 1f, false, new int[] {-1}));
    }

    @Test
    void acceptsKeyLengthsFromZeroToTheSequenceLength() {
        AttentionSpec spec = new AttentionSpec(3, 4, 1, 2, 1f, true, new int[] {0, 2, 4});
        assertEquals(0, spec.keyLength(0));
        assertEquals(4, spec.keyLength(2));
    }

    @Test
    void keyLengthsCannotBeChangedFromOutside() {
        int[] lengths = {1, 2};
        AttentionSpec spec = new AttentionSpec(2, 4, 1, 2, 1f, false, lengths);
        lengths[0] = 4;
        spec.keyLengths()[1] = 4;
        assertArrayEquals(new int[] {1, 2}, spec.keyLengths());
    }

    @Test
    void withoutKeyLengthsEveryKeyIsVisible() {
        AttentionSpec spec = new AttentionSpec(2, 5, 1, 2, 1f, false, null);
        assertNull(spec.keyLengths());
        assertEquals(5, spec.keyLength(1));
    }
}
