package dev.aperture.models.convert;

import dev.aperture.core.InputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --max-shard-size reads sizes as transformers' convert_file_size_to_int does. */
class ShardSizeTest {

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
            "5GB, 5000000000",
            "500MB, 500000000",
            "10KB, 10000",
            "5GiB, 5368709120",
            "500MiB, 524288000",
            "10KiB, 10240",
            "5gib, 5368709120",
            "1048576, 1048576",
            // transformers: a decimal unit ending in a lower-case b counts bits.
            "8Gb, 1000000000",
            "80kb, 10000"})
    void readsTransformersSizes(String text, long bytes) {
        assertEquals(bytes, ShardSize.parse(text));
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "GB", "1.5GB", "5 TB", "0", "-1GB", "five", "0x100", "9999999999999GB"})
    void refusesWhatTransformersWouldNotRead(String text) {
        InputException e = assertThrows(InputException.class, () -> ShardSize.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") && e.getMessage().contains("5GB"), e.getMessage());
    }
}
