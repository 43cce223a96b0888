package dev.aperture.core.safetensors;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every validation of a safetensors file: each case is a hand-made malformed file that must fail with a
 * {@link SafeTensorsFormatException} whose message names the file and the problem.
 */
@Timeout(10)
class MalformedSafeTensorsTest {
    private static final String FILE = "bad.safetensors";

    @TempDir
    Path dir;

    /** A file with the given header length field followed by {@code rest}. */
    private Path rawFile(long declaredHeaderLength, byte[] rest) {
        ByteBuffer bytes = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(declaredHeaderLength).put(rest);
        Path file = dir.resolve(FILE);
        try {
            Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A file with a correct header length, {@code json} as header, then {@code dataBytes} zero bytes. */
    private Path fileWithHeader(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] rest = new byte[header.length + dataBytes];
        System.arraycopy(header, 0, rest, 0, header.length);
        return rawFile(header.length, rest);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /** Opens the file, expecting a format error whose message names the file and contains every fragment. */
    private static void assertRejected(Path file, String... fragments) {
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.open(file));
        assertInstanceOf(FormatException.class, e);
        assertTrue(e.getMessage().contains(FILE), "message should name the file: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should contain '" + fragment + "': " + e.getMessage());
        }
    }

    @Test
    void rejectsFileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve(FILE);
        Files.write(file, new byte[] {1, 0, 0});
        assertRejected(file, "shorter than the 8-byte header length");
    }

    @Test
    void rejectsHeaderLongerThanFile() {
        assertRejected(rawFile(100, "{}".getBytes(StandardCharsets.UTF_8)), "header length 100", "larger than the file");
    }

    @Test
    void rejectsHeaderClaimingTwoToTheSixtyThreeBytesWithoutAllocating() {
        assertRejected(rawFile(Long.MIN_VALUE, "{}".getBytes(StandardCharsets.UTF_8)), "9223372036854775808",
                "larger than the file");
    }

    @Test
    void rejectsHeaderClaimingTheLargestUnsignedLength() {
        assertRejected(rawFile(-1L, new byte[16]), "18446744073709551615", "larger than the file");
    }

    @Test
    void rejectsHeaderOverTheConfiguredCapWithAResourceLimitError() {
        Path file = fileWithHeader("{" + tensor("a", "U8", "[1]", 0, 1) + "}", 1);
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> SafeTensors.open(file, new CheckpointLimits(16)));
        assertTrue(e.getMessage().contains(FILE) && e.getMessage().contains("exceeds the limit of 16"), e.getMessage());
    }

    @Test
    void rejectsInvalidJson() {
        assertRejected(fileWithHeader("{\"a\":", 0), "not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotUtf8() {
        byte[] header = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '{', '}', '}'};
        assertRejected(rawFile(header.length, header), "not valid JSON");
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutOverflowingTheStack() {
        assertRejected(fileWithHeader("{\"w\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}", 0), "not valid JSON");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertRejected(fileWithHeader("[1, 2]  ", 0), "not a JSON object");
    }

    @Test
    void rejectsTrailingJsonAfterTheObject() {
        assertRejected(fileWithHeader("{} {}", 0), "not valid JSON");
    }

    @Test
    void rejectsDuplicateTensorNames() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[1]", 0, 1) + "," + tensor("w", "U8", "[1]", 1, 2) + "}", 2),
                "Duplicate field 'w'");
    }

    @Test
    void rejectsUnknownDtype() {
        assertRejected(fileWithHeader("{" + tensor("w", "F128", "[1]", 0, 16) + "}", 16), "'w'", "unknown dtype \"F128\"");
    }

    @Test
    void rejectsMissingDtype() {
        assertRejected(fileWithHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "'w'", "\"dtype\"");
    }

    @Test
    void rejectsMissingShape() {
        assertRejected(fileWithHeader("{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1), "'w'", "\"shape\"");
    }

    @Test
    void rejectsDataOffsetsThatAreNotAPair() {
        assertRejected(fileWithHeader("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", 1), "'w'",
                "\"data_offsets\" must be an array [begin, end]");
    }

    @Test
    void rejectsTensorEntryThatIsNotAnObject() {
        assertRejected(fileWithHeader("{\"w\":[1,2]}", 0), "'w'", "not a JSON object");
    }

    @Test
    void rejectsNegativeDimension() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[-1]", 0, 0) + "}", 0), "'w'", "shape[0] is -1");
    }

    @Test
    void rejectsNonIntegerDimension() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[1.5]", 0, 1) + "}", 1), "'w'", "shape[0] is 1.5",
                "not a non-negative integer");
    }

    @Test
    void rejectsStringDimension() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[\"2\"]", 0, 2) + "}", 2), "'w'", "shape[0]");
    }

    @Test
    void rejectsDimensionLargerThanALong() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[99999999999999999999]", 0, 1) + "}", 1), "'w'", "shape[0]");
    }

    @Test
    void rejectsShapeWhoseElementCountOverflows() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[4294967296,4294967296]", 0, 1) + "}", 1),
                "'w'", "overflow");
    }

    @Test
    void rejectsShapeTwoToTheThirtyOneSquaredOfF32Fast() {
        assertRejected(fileWithHeader("{" + tensor("w", "F32", "[2147483648,2147483648]", 0, 4) + "}", 4),
                "'w'", "overflow");
    }

    @Test
    void rejectsShapeTwoToTheThirtyOneSquaredOfBytesThatTheFileDoesNotHold() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[2147483648,2147483648]", 0, 4) + "}", 4),
                "'w'", "needs 4611686018427387904");
    }

    @Test
    void rejectsSubByteTensorEndingMidByte() {
        assertRejected(fileWithHeader("{" + tensor("w", "F4", "[3]", 0, 2) + "}", 2), "'w'", "do not fill whole bytes");
    }

    @Test
    void rejectsReversedDataOffsets() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[0]", 4, 0) + "}", 4), "'w'", "[4, 0] are reversed");
    }

    @Test
    void rejectsDataOffsetsBeyondTheFile() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[8]", 0, 8) + "}", 4), "'w'", "out of range");
    }

    @Test
    void rejectsNegativeDataOffset() {
        assertRejected(fileWithHeader("{" + tensor("w", "U8", "[1]", -1, 0) + "}", 1), "'w'", "data_offsets[0] is -1");
    }

    @Test
    void rejectsDataOffsetsThatDoNotMatchShapeTimesDtype() {
        assertRejected(fileWithHeader("{" + tensor("w", "F32", "[2]", 0, 4) + "}", 4), "'w'", "span 4 bytes",
                "needs 8");
    }

    @Test
    void rejectsOverlappingTensors() {
        assertRejected(fileWithHeader("{" + tensor("a", "U8", "[4]", 0, 4) + "," + tensor("b", "U8", "[4]", 2, 6) + "}", 6),
                "'b'", "overlap tensor 'a'");
    }

    @Test
    void rejectsGapBetweenTensors() {
        assertRejected(fileWithHeader("{" + tensor("a", "U8", "[2]", 0, 2) + "," + tensor("b", "U8", "[2]", 4, 6) + "}", 6),
                "'b'", "gap");
    }

    @Test
    void rejectsTrailingBytesAfterTheLastTensor() {
        assertRejected(fileWithHeader("{" + tensor("a", "U8", "[2]", 0, 2) + "}", 5), "3 trailing bytes");
    }

    @Test
    void rejectsMetadataThatIsNotAnObject() {
        assertRejected(fileWithHeader("{\"__metadata__\":\"pt\"}", 0), "__metadata__ is not a JSON object");
    }

    @Test
    void rejectsMetadataWithNonStringValue() {
        assertRejected(fileWithHeader("{\"__metadata__\":{\"epochs\":3}}", 0), "'epochs'", "not a string");
    }
}
