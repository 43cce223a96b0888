package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.TestData;
import dev.aperture.testkit.TorchZipWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TorchCheckpoint on files made here: byte orders, ZIP64, and malformed containers beyond the hostile fixtures. */
class TorchCheckpointTest {
    @TempDir
    Path dir;

    private static SafeTensors clipTiny() {
        return SafeTensors.open(TestData.clipTiny("model.safetensors"));
    }

    private static void assertSameTensors(TensorSource expected, TensorSource actual) {
        assertEquals(expected.names(), actual.names());
        for (String name : expected.names()) {
            TensorView want = expected.tensor(name);
            TensorView got = actual.tensor(name);
            assertEquals(want.dtype(), got.dtype(), name);
            assertArrayEquals(want.shape(), got.shape(), name);
            assertArrayEquals(want.data().toArray(ValueLayout.JAVA_BYTE), got.data().toArray(ValueLayout.JAVA_BYTE),
                    name);
        }
    }

    @Test
    void aBigEndianCheckpointIsByteSwappedOnRead() {
        Path file = dir.resolve("big.bin");
        try (SafeTensors tiny = clipTiny()) {
            TorchZipWriter.write(file, tiny, ByteOrder.BIG_ENDIAN);
            try (TensorSource read = Checkpoints.open(file)) {
                assertSameTensors(tiny, read);
            }
        }
    }

    @Test
    void aCheckpointWrittenHereReadsBackInPlace() {
        Path file = dir.resolve("little.bin");
        try (SafeTensors tiny = clipTiny()) {
            TorchZipWriter.write(file, tiny);
            try (TensorSource read = Checkpoints.open(file)) {
                assertSameTensors(tiny, read);
                assertTrue(read.tensor("logit_scale").data().isMapped());
            }
        }
    }

    @Test
    void readsAZip64ArchiveWithMoreThan65535Records() throws IOException {
        // Past 65,535 entries the end of the central directory is a ZIP64 record; torch writes one for large models.
        Path file = dir.resolve("many.bin");
        byte[] pickle = new TorchZipWriter.PickleBuilder().proto(2).op('}').mark().unicode("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark().mark().unicode("storage")
                .global("torch", "FloatStorage").unicode("0").unicode("cpu").integer(2).tuple().persistentId()
                .integer(0).tuple(2).tuple(1).bool(false).op('}').tuple().reduce().setItems().stop().toByteArray();
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < 70_000; i++) {
                TorchZipWriter.stored(zip, "many/.padding/" + i, new byte[0]);
            }
            // Last, so that only the ZIP64 entry count (not the 16-bit one, 0xFFFF) reaches them.
            TorchZipWriter.stored(zip, "many/data.pkl", pickle);
            TorchZipWriter.stored(zip, "many/data/0", new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40});
        }
        try (TensorSource read = Checkpoints.open(file)) {
            assertArrayEquals(new float[] {1f, 2f}, read.tensor("w").toFloatArray());
        }
    }

    @Test
    void moreZipEntriesThanTheTensorLimitAllowsIsAResourceLimit() throws IOException {
        Path file = dir.resolve("entries.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < 200; i++) {
                TorchZipWriter.stored(zip, "entries/data/" + i, new byte[0]);
            }
        }
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> Checkpoints.open(file, CheckpointLimits.DEFAULT.withMaxTensors(10)));
        assertTrue(e.getMessage().contains("200 entries"), e.getMessage());
    }

    @Test
    void moreTensorsThanTheLimitIsAResourceLimit() {
        Path file = dir.resolve("tensors.bin");
        try (SafeTensors tiny = clipTiny()) {
            TorchZipWriter.write(file, tiny);
        }
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> Checkpoints.open(file, CheckpointLimits.DEFAULT.withMaxTensors(64 - 10)));
        assertTrue(e.getMessage().contains("maxTensors"), e.getMessage());
    }

    @Test
    void aZipWithoutDataPklIsNotACheckpoint() throws IOException {
        Path file = dir.resolve("script.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            TorchZipWriter.stored(zip, "script/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            TorchZipWriter.stored(zip, "script/code/__torch__.py", "def forward(self): ...".getBytes(StandardCharsets.UTF_8));
        }
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("data.pkl") && e.getMessage().contains("TorchScript"), e.getMessage());
    }

    @Test
    void aCompressedDataPklIsRefused() throws IOException {
        Path file = dir.resolve("deflated.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("deflated/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2, '}', '.'});
            zip.closeEntry();
        }
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("compressed (DEFLATE)"), e.getMessage());
    }

    @Test
    void aStorageDeclaredWithTwoTypesIsRefused() throws IOException {
        TorchZipWriter.PickleBuilder pickle = new TorchZipWriter.PickleBuilder().proto(2).op('}').mark();
        for (String name : List.of("a", "b")) {
            pickle.unicode(name).global("torch._utils", "_rebuild_tensor_v2").mark().mark().unicode("storage")
                    .global("torch", name.equals("a") ? "FloatStorage" : "HalfStorage").unicode("0").unicode("cpu")
                    .integer(2).tuple().persistentId().integer(0).tuple(2).tuple(1).bool(false).op('}').tuple()
                    .reduce();
        }
        Path file = dir.resolve("types.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            TorchZipWriter.stored(zip, "types/data.pkl", pickle.setItems().stop().toByteArray());
            TorchZipWriter.stored(zip, "types/data/0", new byte[8]);
        }
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("storage '0' is declared as F32 and as F16"), e.getMessage());
    }

    @Test
    void aTruncatedLegacyCheckpointIsRefusedNamingTheStorage() throws IOException {
        byte[] legacy = Files.readAllBytes(TestData.checkpoints("clip-tiny-bin/legacy/pytorch_model.bin"));
        Path file = dir.resolve("legacy-cut.bin");
        Files.write(file, Arrays.copyOf(legacy, legacy.length / 2));
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("legacy-cut.bin") && e.getMessage().contains("storage '"),
                e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aTrainingCheckpointWithNestedWeightsIsRefusedNamingItsKeys() throws IOException {
        byte[] pickle = new TorchZipWriter.PickleBuilder().proto(2).op('}').mark().unicode("epoch").integer(3)
                .unicode("state_dict").op('}').setItems().stop().toByteArray();
        Path file = dir.resolve("trainer.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            TorchZipWriter.stored(zip, "trainer/data.pkl", pickle);
        }
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("holds no tensors") && e.getMessage().contains("['epoch', 'state_dict']"),
                e.getMessage());
    }

    @Test
    void aPickleThatIsNotATorchFileIsRefused() throws IOException {
        Path file = dir.resolve("plain.pkl.bin");
        Files.write(file, new TorchZipWriter.PickleBuilder().proto(2).op('}').stop().toByteArray());
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains("magic number"), e.getMessage());
    }

    @Test
    void aClosedCheckpointRefusesToHandOutTensors() {
        Path file = dir.resolve("closed.bin");
        try (SafeTensors tiny = clipTiny()) {
            TorchZipWriter.write(file, tiny);
        }
        TensorSource read = Checkpoints.open(file);
        read.close();
        assertThrows(IllegalStateException.class, () -> read.tensor("logit_scale"));
    }
}
