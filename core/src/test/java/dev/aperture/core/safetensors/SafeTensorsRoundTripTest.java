package dev.aperture.core.safetensors;

import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.checkpoint.ShardedCheckpoint;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.FloatConversions;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing then reading files: every dtype, metadata, layout details, sharded checkpoints, closing. */
class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    /** A shape per dtype that fills whole bytes (F4 packs 2 per byte, F6 4 per 3 bytes). */
    private static long[] shapeFor(DType dtype) {
        return dtype.isSubByte() ? new long[] {2, 4} : new long[] {2, 3};
    }

    private static Map<String, byte[]> randomTensorOfEveryDtype(List<TensorToWrite> tensors) {
        Random random = new Random(42);
        Map<String, byte[]> bytesByName = new LinkedHashMap<>();
        for (DType dtype : DType.values()) {
            long[] shape = shapeFor(dtype);
            byte[] bytes = new byte[(int) dtype.byteCount(shape[0] * shape[1])];
            random.nextBytes(bytes);
            String name = "t_" + dtype.name().toLowerCase();
            tensors.add(TensorToWrite.ofBytes(name, dtype, shape, bytes));
            bytesByName.put(name, bytes);
        }
        return bytesByName;
    }

    @Test
    void roundTripsATensorOfEveryDtypeWithMetadata() {
        List<TensorToWrite> tensors = new ArrayList<>();
        Map<String, byte[]> expected = randomTensorOfEveryDtype(tensors);
        Path file = dir.resolve("all.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt", "note", "every dtype"));
        try (SafeTensors read = SafeTensors.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "every dtype"), read.metadata());
            assertEquals(expected.keySet(), read.names());
            for (DType dtype : DType.values()) {
                TensorView view = read.tensor("t_" + dtype.name().toLowerCase());
                assertEquals(dtype, view.dtype());
                assertArrayEquals(shapeFor(dtype), view.shape());
                assertArrayEquals(expected.get(view.name()), view.data().toArray(ValueLayout.JAVA_BYTE), view.name());
            }
        }
    }

    @Test
    void roundTripsFloatsThroughF32F16AndBf16() {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 1e-7f, Float.POSITIVE_INFINITY, Float.NaN, 3.14159f};
        long[] shape = {values.length};
        Path file = dir.resolve("floats.safetensors");
        SafeTensors.write(file, List.of(
                TensorToWrite.ofFloats("f32", DType.F32, shape, values),
                TensorToWrite.ofFloats("f16", DType.F16, shape, values),
                TensorToWrite.ofFloats("bf16", DType.BF16, shape, values)));
        try (SafeTensors read = SafeTensors.open(file)) {
            assertArrayEquals(values, read.tensor("f32").toFloatArray());
            float[] half = read.tensor("f16").toFloatArray();
            float[] brain = read.tensor("bf16").toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), half[i]);
                assertEquals(FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(values[i])), brain[i]);
            }
        }
    }

    @Test
    void castingF64RoundsToFloat32ThenStoresAsOfFloatsWould() {
        double[] values = {0, -0.0, 1, 1 + 1e-12, -2.5, 65504.5, 1e-300, 1e300, Double.NEGATIVE_INFINITY, Math.PI};
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            bytes.putDouble(value);
        }
        float[] asFloats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            asFloats[i] = (float) values[i];
        }
        long[] shape = {values.length};
        Path source = dir.resolve("f64.safetensors");
        Path cast = dir.resolve("cast.safetensors");
        Path reference = dir.resolve("reference.safetensors");
        SafeTensors.write(source, List.of(TensorToWrite.ofBytes("w", DType.F64, shape, bytes.array())));
        SafeTensors.write(reference, List.of(TensorToWrite.ofFloats("w.f32", DType.F32, shape, asFloats),
                TensorToWrite.ofFloats("w.f16", DType.F16, shape, asFloats),
                TensorToWrite.ofFloats("w.bf16", DType.BF16, shape, asFloats)));
        try (SafeTensors f64 = SafeTensors.open(source)) {
            TensorView view = f64.tensor("w");
            SafeTensors.write(cast, List.of(renamed(TensorToWrite.castOf(view, DType.F32), "w.f32"),
                    renamed(TensorToWrite.castOf(view, DType.F16), "w.f16"),
                    renamed(TensorToWrite.castOf(view, DType.BF16), "w.bf16")));
        }
        try (SafeTensors got = SafeTensors.open(cast); SafeTensors want = SafeTensors.open(reference)) {
            for (String name : want.names()) {
                assertEquals(want.tensor(name).dtype(), got.tensor(name).dtype(), name);
                assertEquals(-1, want.tensor(name).data().mismatch(got.tensor(name).data()), name);
            }
        }
    }

    @Test
    void castingATensorOfSeveralChunksConvertsEveryElement() {
        Random random = new Random(7);
        float[] values = new float[100_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path source = dir.resolve("bf16.safetensors");
        Path cast = dir.resolve("f16.safetensors");
        SafeTensors.write(source, List.of(TensorToWrite.ofFloats("w", DType.BF16, new long[] {values.length}, values)));
        try (SafeTensors bf16 = SafeTensors.open(source)) {
            SafeTensors.write(cast, List.of(TensorToWrite.castOf(bf16.tensor("w"), DType.F16)));
            float[] widened = bf16.tensor("w").toFloatArray();
            try (SafeTensors f16 = SafeTensors.open(cast)) {
                float[] got = f16.tensor("w").toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Float.float16ToFloat(Float.floatToFloat16(widened[i])), got[i], "element " + i);
                }
            }
        }
    }

    @Test
    void castingAnIntegerTensorIsRefusedNamingIt() {
        Path file = dir.resolve("ids.safetensors");
        SafeTensors.write(file, List.of(TensorToWrite.ofBytes("position_ids", DType.I64, new long[] {1}, new byte[8])));
        try (SafeTensors read = SafeTensors.open(file)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> TensorToWrite.castOf(read.tensor("position_ids"), DType.F16));
            assertTrue(e.getMessage().contains("'position_ids'") && e.getMessage().contains("I64"), e.getMessage());
        }
    }

    private static TensorToWrite renamed(TensorToWrite tensor, String name) {
        return new TensorToWrite(name, tensor.dtype(), tensor.shape(), tensor.content());
    }

    @Test
    void writesHeaderPaddedToEightBytesAndTensorsWidestFirstThenByName() throws IOException {
        Path file = dir.resolve("order.safetensors");
        SafeTensors.write(file, List.of(
                TensorToWrite.ofBytes("b_u8", DType.U8, new long[] {3}, new byte[] {1, 2, 3}),
                TensorToWrite.ofFloats("z_f32", DType.F32, new long[] {1}, new float[] {1f}),
                TensorToWrite.ofFloats("a_f32", DType.F32, new long[] {1}, new float[] {2f})));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.indexOf("a_f32") < header.indexOf("z_f32") && header.indexOf("z_f32") < header.indexOf("b_u8"),
                header);
        assertEquals(8 + headerLength + 4 + 4 + 3, bytes.length);
        try (SafeTensors read = SafeTensors.open(file)) {
            assertEquals(List.of("a_f32", "z_f32", "b_u8"), List.copyOf(read.names()));
        }
    }

    @Test
    void rewritingTheClipTinyFixtureReproducesEveryTensorByteForByte() {
        Path copy = dir.resolve("copy.safetensors");
        try (SafeTensors original = SafeTensors.open(TestData.clipTiny("model.safetensors"))) {
            List<TensorToWrite> tensors = original.names().stream().map(original::tensor).map(TensorToWrite::of).toList();
            SafeTensors.write(copy, tensors, original.metadata());
            try (SafeTensors rewritten = SafeTensors.open(copy)) {
                assertEquals(original.names(), rewritten.names());
                assertEquals(original.metadata(), rewritten.metadata());
                for (String name : original.names()) {
                    assertEquals(-1, original.tensor(name).data().mismatch(rewritten.tensor(name).data()), name);
                }
            }
        }
    }

    @Test
    void roundTripsAnEmptyFile() {
        Path file = dir.resolve("empty.safetensors");
        SafeTensors.write(file, List.of());
        try (SafeTensors read = SafeTensors.open(file)) {
            assertTrue(read.names().isEmpty());
            assertTrue(read.metadata().isEmpty());
        }
    }

    @Test
    void refusesContentThatProducesTheWrongNumberOfBytes() {
        Path file = dir.resolve("short.safetensors");
        TensorToWrite tooShort = new TensorToWrite("t", DType.F32, new long[] {2}, out -> out.write(new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, List.of(tooShort)));
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("short.safetensors.partial")));
    }

    @Test
    void refusesRepeatedNamesWhenWriting() {
        TensorToWrite one = TensorToWrite.ofBytes("t", DType.U8, new long[] {1}, new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x.safetensors"), List.of(one, one)));
    }

    @Test
    void roundTripsAShardedCheckpointThroughItsIndex() {
        List<TensorToWrite> tensors = new ArrayList<>();
        Map<String, byte[]> expected = randomTensorOfEveryDtype(tensors);
        Path index = ShardedSafeTensorsWriter.write(dir.resolve("sharded"), tensors, Map.of("format", "pt"), 64);
        try (ShardedCheckpoint read = ShardedCheckpoint.open(index, CheckpointLimits.DEFAULT)) {
            assertTrue(read.files().size() > 1, "expected several shards, got " + read.files().size());
            assertEquals(expected.keySet(), new java.util.HashSet<>(read.names()));
            assertEquals(Map.of("format", "pt"), read.metadata());
            for (Map.Entry<String, byte[]> entry : expected.entrySet()) {
                assertArrayEquals(entry.getValue(), read.tensor(entry.getKey()).data().toArray(ValueLayout.JAVA_BYTE));
            }
            assertThrows(ModelMismatchException.class, () -> read.tensor("absent"));
        }
    }

    @Test
    void openCheckpointAcceptsAFileAnIndexOrAFolder() {
        Path single = dir.resolve("single");
        TensorToWrite tensor = TensorToWrite.ofFloats("w", DType.F32, new long[] {2}, new float[] {1f, 2f});
        Path index = ShardedSafeTensorsWriter.write(dir.resolve("sharded"), List.of(tensor), Map.of(), 1 << 20);
        try {
            Files.createDirectories(single);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        SafeTensors.write(single.resolve("model.safetensors"), List.of(tensor));
        for (Path path : List.of(single, single.resolve("model.safetensors"), index, index.getParent())) {
            try (TensorSource source = Checkpoints.open(path)) {
                assertArrayEquals(new float[] {1f, 2f}, source.tensor("w").toFloatArray(), path.toString());
            }
        }
    }

    @Test
    void openCheckpointRejectsAFolderWithoutModelFiles() {
        InputException e = assertThrows(InputException.class, () -> Checkpoints.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void openRejectsAMissingFileNamingIt() {
        Path missing = dir.resolve("missing.safetensors");
        InputException e = assertThrows(InputException.class, () -> SafeTensors.open(missing));
        assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
    }

    @Test
    void usingAViewAfterCloseThrowsInsteadOfCrashing() {
        Path file = dir.resolve("closed.safetensors");
        SafeTensors.write(file, List.of(TensorToWrite.ofFloats("w", DType.F32, new long[] {2}, new float[] {1f, 2f})));
        SafeTensors read = SafeTensors.open(file);
        TensorView view = read.tensor("w");
        read.close();
        read.close();   // idempotent
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertThrows(IllegalStateException.class, () -> view.data().get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> read.tensor("w"));
    }

    @Test
    void missingTensorNamesTheTensorAndTheFile() {
        Path file = dir.resolve("one.safetensors");
        SafeTensors.write(file, List.of(TensorToWrite.ofBytes("w", DType.U8, new long[] {1}, new byte[1])));
        try (SafeTensors read = SafeTensors.open(file)) {
            ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> read.tensor("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("one.safetensors"), e.getMessage());
        }
    }

    @Test
    void convertingANonFloatTensorIsAFormatError() {
        Path file = dir.resolve("ints.safetensors");
        SafeTensors.write(file, List.of(TensorToWrite.ofBytes("ids", DType.I32, new long[] {1}, new byte[4])));
        try (SafeTensors read = SafeTensors.open(file)) {
            var e = assertThrows(dev.aperture.core.FormatException.class, () -> read.tensor("ids").toFloatArray());
            assertInstanceOf(dev.aperture.core.ApertureException.class, e);
            assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I32"), e.getMessage());
        }
    }
}
