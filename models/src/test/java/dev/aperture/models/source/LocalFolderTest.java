package dev.aperture.models.source;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    void folderMissingTheWeightsNamesEveryFormItCouldHave() throws IOException {
        Files.copy(FakeHub.fixture("clip-tiny").resolve("config.json"), temp.resolve("config.json"));
        Files.copy(FakeHub.fixture("clip-tiny").resolve("tokenizer.json"), temp.resolve("tokenizer.json"));

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.toString(), options()));

        for (String form : List.of("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")) {
            assertTrue(error.getMessage().contains(form), error.getMessage());
        }
        assertTrue(error.getMessage().contains(temp.toString()), error.getMessage());
    }

    @Test
    void folderWithOnlyPickleWeightsResolvesToThem() {
        Path pickled = FakeHub.fixture("checkpoints/clip-tiny-bin/zip");

        ResolvedModel resolved = ModelSource.resolve(pickled.toString(), options());

        assertEquals(new ResolvedModel(pickled, pickled.resolve("pytorch_model.bin")), resolved);
    }

    @Test
    void folderWithShardedPickleWeightsResolvesToTheirIndex() {
        Path sharded = FakeHub.fixture("checkpoints/clip-tiny-bin/sharded");

        ResolvedModel resolved = ModelSource.resolve(sharded.toString(), options());

        assertEquals(sharded.resolve("pytorch_model.bin.index.json"), resolved.weights());
    }

    @Test
    void folderWithBothFormsResolvesToTheSafetensors() throws IOException {
        Path tiny = FakeHub.fixture("clip-tiny");
        for (String file : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Files.copy(tiny.resolve(file), temp.resolve(file));
        }
        Path pickle = FakeHub.fixture("checkpoints/clip-tiny-bin/zip/pytorch_model.bin");
        Files.copy(pickle, temp.resolve("pytorch_model.bin"));

        assertEquals(temp.resolve("model.safetensors"), ModelSource.resolve(temp.toString(), options()).weights());
    }

    @Test
    void folderWhoseShardIsMissingNamesTheShard() throws IOException {
        Path sharded = FakeHub.fixture("checkpoints/clip-tiny-bin/sharded");
        for (String file : List.of("config.json", "tokenizer.json", "pytorch_model.bin.index.json",
                "pytorch_model-00001-of-00003.bin", "pytorch_model-00003-of-00003.bin")) {
            Files.copy(sharded.resolve(file), temp.resolve(file));
        }

        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.toString(), options()));

        assertTrue(error.getMessage().contains("pytorch_model-00002-of-00003.bin"), error.getMessage());
    }

    @Test
    void pathThatDoesNotExistIsReportedAsAMissingFolder() {
        InputException error = assertThrows(InputException.class,
                () -> ModelSource.resolve(temp.resolve("nope").toString(), options()));

        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }
}
