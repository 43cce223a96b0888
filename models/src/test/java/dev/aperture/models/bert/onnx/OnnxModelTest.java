package dev.aperture.models.bert.onnx;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.bert.MiniLmFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.aperture.models.bert.onnx.OnnxBytes.bytes;
import static dev.aperture.models.bert.onnx.OnnxBytes.concat;
import static dev.aperture.models.bert.onnx.OnnxBytes.field;
import static dev.aperture.models.bert.onnx.OnnxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX reader: MiniLM's initializers and graph, and the typed refusal of malformed protobuf. */
class OnnxModelTest {

    @Test
    void readsEveryInitializerAndNodeOfMiniLm() {
        try (OnnxModel model = OnnxModel.open(MiniLmFixture.onnxFile())) {
            // Counts and shapes as ONNX_LAYOUT.txt lists them.
            assertEquals(102, model.names().size());
            assertEquals(637, model.nodes().size());
            assertEquals("pytorch", model.producer());
            assertArrayEquals(new long[] {30522, 384}, model.tensor("embeddings.word_embeddings.weight").shape());
            assertEquals(DType.I64, model.tensor("embeddings.position_ids").dtype());
            assertArrayEquals(new long[] {384, 1536}, model.tensor("onnx::MatMul_798").shape());
            assertEquals(146, model.nodes().stream().filter(n -> n.opType().equals("Constant")).count());
        }
    }

    @Test
    void rejectsTruncatedFileFast(@TempDir Path dir) throws IOException {
        Path truncated = dir.resolve("truncated.onnx");
        try (InputStream in = Files.newInputStream(MiniLmFixture.onnxFile())) {
            Files.write(truncated, in.readNBytes(5_000_000));
        }
        FormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(FormatException.class, () -> OnnxModel.open(truncated)));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void rejectsLengthBeyondTheBufferWithoutAllocating(@TempDir Path dir) throws IOException {
        // graph (field 7, wire type 2) claiming 2^62 bytes.
        Path file = write(dir, bytes(0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40));
        FormatException e = assertThrows(FormatException.class, () -> OnnxModel.open(file));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void rejectsTruncatedVarint(@TempDir Path dir) throws IOException {
        Path file = write(dir, bytes(0x08, 0x80, 0x80));
        FormatException e = assertThrows(FormatException.class, () -> OnnxModel.open(file));
        assertTrue(e.getMessage().contains("truncated varint"), e.getMessage());
    }

    @Test
    void rejectsFileWithoutGraph(@TempDir Path dir) throws IOException {
        Path file = write(dir, bytes(0x08, 0x06)); // ir_version 6 only
        assertThrows(FormatException.class, () -> OnnxModel.open(file));
    }

    @Test
    void rejectsUnsupportedDataType(@TempDir Path dir) throws IOException {
        byte[] tensor = concat(field(8, "names".getBytes(StandardCharsets.UTF_8)), bytes(0x10, 0x08)); // STRING
        Path file = write(dir, field(7, field(5, tensor)));
        FormatException e = assertThrows(FormatException.class, () -> OnnxModel.open(file));
        assertTrue(e.getMessage().contains("unsupported data_type 8"), e.getMessage());
    }

    @Test
    void rejectsRawDataShorterThanTheShape(@TempDir Path dir) throws IOException {
        // dims [1000, 1000] float, 4 bytes of raw_data.
        byte[] tensor = concat(bytes(0x08, 0xE8, 0x07, 0x08, 0xE8, 0x07, 0x10, 0x01),
                field(8, "w".getBytes(StandardCharsets.UTF_8)), field(9, new byte[4]));
        Path file = write(dir, field(7, field(5, tensor)));
        FormatException e = assertThrows(FormatException.class, () -> OnnxModel.open(file));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void readsPackedFloatData(@TempDir Path dir) throws IOException {
        byte[] floats = new byte[8];
        java.nio.ByteBuffer.wrap(floats).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] tensor = concat(bytes(0x08, 0x02, 0x10, 0x01), field(8, "b".getBytes(StandardCharsets.UTF_8)),
                field(4, floats));
        try (OnnxModel model = OnnxModel.open(write(dir, field(7, field(5, tensor))))) {
            assertArrayEquals(new float[] {1.5f, -2f}, model.tensor("b").toFloatArray());
        }
    }

    @Test
    void missingFileIsInputException(@TempDir Path dir) {
        assertThrows(InputException.class, () -> OnnxModel.open(dir.resolve("absent.onnx")));
    }
}
