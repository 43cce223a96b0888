package dev.aperture.models.source;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A local folder is used in place after checking it has the files the model needs. */
class LocalFolderTest {

    @TempDir
    Path temp;

    HubOptions options() {
        return new HubOptions(URI.create("http://127.0.0.1:9"), null, temp.resolve("cache"), false,
                DownloadListener.quiet(), ModelFiles.clip(), Duration.ofSeconds(2));
    }

    @Test
    void fixtureFolderIsUsedInPlace() {
        Path fixture = FakeHub.fixture("clip-tiny");

        assertEquals(fixture, ModelSource.resolve(fixture.toString(), options()).folder());
        assertTrue(Files.notExists(temp.resolve("cache")));
    }

    @Test
    void folderMissingTheWeightsNamesWhatIsMissing() throws IOException {
        Files.copy(FakeHub.fixture("clip-tiny").resolve("config.json"), temp.resolve("config.json"));
        Files.copy(FakeHub.fixture("clip-tiny").resolve("tokenizer.json"), temp.resolve("tokenizer.json"));

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.toString(), options()));

        assertTrue(error.getMessage().contains("model.safetensors"), error.getMessage());
        assertTrue(error.getMessage().contains(temp.toString()), error.getMessage());
    }

    @Test
    void folderWithOnlyPickleWeightsIsRefused() throws IOException {
        Files.copy(FakeHub.fixture("clip-tiny").resolve("config.json"), temp.resolve("config.json"));
        Files.copy(FakeHub.fixture("clip-tiny").resolve("tokenizer.json"), temp.resolve("tokenizer.json"));
        Files.write(temp.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.toString(), options()));

        assertTrue(error.getMessage().contains("pickle"), error.getMessage());
    }

    @Test
    void pathThatDoesNotExistIsReportedAsAMissingFolder() {
        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.resolve("nope").toString(), options()));

        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }
}
