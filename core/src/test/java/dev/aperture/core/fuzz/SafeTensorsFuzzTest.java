package dev.aperture.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

class SafeTensorsFuzzTest {
    private static final Path FILE = tempFile();

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("fuzz", ".safetensors");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void openArbitraryFile(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try (SafeTensors file = SafeTensors.open(FILE)) {
            for (String name : file.names()) {
                TensorView view = file.tensor(name);
                view.data().byteSize();
            }
        } catch (ApertureException expected) {
            // typed rejection is the contract
        }
    }
}
