package dev.aperture.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.CorpusMutator;
import dev.aperture.testkit.TorchZipWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz targets for the PyTorch checkpoint reader: the weights-only pickle interpreter (an input is a
 * {@code data.pkl}, wrapped in a zip archive that also holds storages {@code 0} to {@code 3}, so tensor
 * descriptions reach real bytes) and the containers (an input is a whole {@code .bin} file, zip or legacy). Any input
 * opens, giving tensors whose every byte can be read, or is refused with an {@link ApertureException}. Corpora:
 * {@code TorchCheckpointFuzzTestInputs/<method>/} (see core/FUZZING.md).
 */
@Tag("slow")
class TorchCheckpointFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path PICKLE_ARCHIVE = DIR.resolve("pickle.bin");
    private static final Path FILE = DIR.resolve("fuzz.bin");
    /** Bytes of each storage the pickle target's archive holds: room for a few small tensors of any dtype. */
    private static final int STORAGE_BYTES = 64;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("aperture-fuzz-torch");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void interpretPickle(byte[] pickle) {
        writeArchive(pickle);
        readEveryByte(PICKLE_ARCHIVE);
    }

    @FuzzTest(maxDuration = "30s")
    void openCheckpointFile(byte[] bytes) {
        try {
            Files.write(FILE, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readEveryByte(FILE);
    }

    private static void readEveryByte(Path file) {
        try (TensorSource checkpoint = Checkpoints.open(file)) {
            for (String name : checkpoint.names()) {
                TensorView view = checkpoint.tensor(name);
                assertEquals(name, view.name());
                long size = view.data().byteSize();
                if (size > 0) {
                    view.data().get(ValueLayout.JAVA_BYTE, 0);
                    view.data().get(ValueLayout.JAVA_BYTE, size - 1);
                }
            }
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    /** A torch-style zip: {@code fuzz/data.pkl} = the input, and four STORED storages of 64 bytes. */
    private static void writeArchive(byte[] pickle) {
        try (OutputStream file = Files.newOutputStream(PICKLE_ARCHIVE); ZipOutputStream zip = new ZipOutputStream(file)) {
            TorchZipWriter.stored(zip, "fuzz/data.pkl", pickle);
            byte[] storage = new byte[STORAGE_BYTES];
            for (int i = 0; i < storage.length; i++) {
                storage[i] = (byte) (i * 37);
            }
            for (int key = 0; key < 4; key++) {
                TorchZipWriter.stored(zip, "fuzz/data/" + key, storage);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedPicklesAreReadOrRefusedWithATypedError() {
        CorpusMutator.run(TorchCheckpointFuzzTest.class, "interpretPickle", 1 << 16, this::interpretPickle);
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedCheckpointFilesAreReadOrRefusedWithATypedError() {
        CorpusMutator.run(TorchCheckpointFuzzTest.class, "openCheckpointFile", 1 << 16, this::openCheckpointFile);
    }
}
