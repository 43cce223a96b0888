package dev.aperture.models.onnx;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.bert.BertConfig;
import dev.aperture.models.bert.BertOnnxWeights;
import dev.aperture.models.bert.MiniLmFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void mapsAnonymousMatMulWeightsThroughNodeNamesTransposed() {
        try (OnnxModel model = OnnxModel.open(MiniLmFixture.onnxFile());
             BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(MiniLmFixture.onnxFile()))) {
            float[] stored = model.tensor("onnx::MatMul_798").toFloatArray(); // layer 0 intermediate, [384, 1536]
            float[] mapped = weights.tensor("encoder.layer.0.intermediate.dense.weight").toFloatArray();
            assertArrayEquals(new long[] {1536, 384}, weights.tensor("encoder.layer.0.intermediate.dense.weight").shape());
            for (int in : new int[] {0, 7, 383}) {
                for (int out : new int[] {0, 100, 1535}) {
                    assertEquals(stored[in * 1536 + out], mapped[out * 384 + in]);
                }
            }
            assertEquals(36, weights.names().stream().filter(n -> n.endsWith(".weight") && n.contains("dense")
                    || n.matches(".*self\\.(query|key|value)\\.weight")).count());
        }
    }

    @Test
    void derivesMiniLmConfigFromWeightsAndGraph() {
        try (BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(MiniLmFixture.onnxFile()))) {
            int heads = weights.inferNumAttentionHeads(384);
            BertConfig config = BertConfig.fromWeights(weights, heads);
            assertEquals(12, heads);
            assertEquals(new BertConfig(30522, 384, 6, 12, 1536, dev.aperture.core.backend.Activation.GELU, 512, 2,
                    1e-12f, 0), config);
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
    void missingBertInitializerIsFormatException(@TempDir Path dir) throws IOException {
        byte[] graph = field(5, concat(bytes(0x08, 0x01, 0x10, 0x01), field(8, "x".getBytes(StandardCharsets.UTF_8)),
                field(9, new byte[4])));
        try (BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(write(dir, field(7, graph))))) {
            FormatException e = assertThrows(FormatException.class,
                    () -> BertConfig.fromWeights(weights, 12));
            assertTrue(e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
        }
    }

    @Test
    void missingFileIsInputException(@TempDir Path dir) {
        assertThrows(InputException.class, () -> OnnxModel.open(dir.resolve("absent.onnx")));
    }

    private static Path write(Path dir, byte[] content) throws IOException {
        return Files.write(dir.resolve("model.onnx"), content);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A length-delimited field: tag, varint length, bytes. */
    private static byte[] field(int number, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (number << 3) | 2);
        writeVarint(out, content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
