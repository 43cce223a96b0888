package dev.aperture.core.fuzz;

import dev.aperture.core.checkpoint.Checkpoints;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.CorpusMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the safetensors reader: a whole file (length field, JSON header, offsets, data) and a sharded
 * checkpoint's index. Any input either opens, giving views whose bytes lie inside the file, or is refused with an
 * {@link dev.aperture.core.ApertureException}. Corpora: {@code SafeTensorsFuzzTestInputs/<method>/} in the test
 * resources (small valid files, the clip-tiny header, and every finding of the long runs, see core/FUZZING.md).
 */
@Tag("slow")
class SafeTensorsFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("fuzz.safetensors");
    private static final Path INDEX = DIR.resolve("model.safetensors.index.json");

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("aperture-fuzz");
            // A real shard that index inputs may point at: tensors "a" (F32 [2]) and "b" (U8 [3]).
            byte[] shard = CorpusMutator.corpus(SafeTensorsFuzzTest.class, "openFile").stream()
                    .filter(seed -> seed.length == 131).findFirst().orElseThrow();
            Files.write(dir.resolve("model-00001-of-00001.safetensors"), shard);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void openFile(byte[] bytes) {
        write(FILE, bytes);
        try (SafeTensors file = SafeTensors.open(FILE)) {
            long total = 0;
            for (String name : file.names()) {
                TensorView view = file.tensor(name);
                total += view.data().byteSize();
                if (view.data().byteSize() > 0) {
                    view.data().get(ValueLayout.JAVA_BYTE, view.data().byteSize() - 1);
                }
            }
            assertTrue(total <= bytes.length, "views cover " + total + " bytes of a " + bytes.length + "-byte file");
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void openShardIndex(byte[] bytes) {
        write(INDEX, bytes);
        try (TensorSource source = Checkpoints.open(INDEX)) {
            for (String name : source.names()) {
                assertEquals(name, source.tensor(name).name());
            }
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedFilesAreOpenedOrRefusedWithATypedError() {
        CorpusMutator.run(SafeTensorsFuzzTest.class, "openFile", 1 << 16, this::openFile);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedShardIndexesAreOpenedOrRefusedWithATypedError() {
        CorpusMutator.run(SafeTensorsFuzzTest.class, "openShardIndex", 1 << 16, this::openShardIndex);
    }
}
