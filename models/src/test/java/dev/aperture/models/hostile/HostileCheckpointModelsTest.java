package dev.aperture.models.hostile;

import dev.aperture.core.ApertureException;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.testkit.HostileCheckpoints;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each hostile checkpoint (testdata/checkpoints/hostile/manifest.json) as the pytorch_model.bin of an otherwise
 * complete clip-tiny folder: {@code ClipModel.load} refuses it with an {@link ApertureException} naming the problem,
 * within 10 s.
 */
class HostileCheckpointModelsTest {
    private static final List<String> MODEL_FILES = List.of("config.json", "tokenizer.json", "vocab.json",
            "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json");

    @TempDir
    Path dir;

    @TestFactory
    List<DynamicTest> clipModelLoadRefusesEveryHostileCheckpoint() {
        return HostileCheckpoints.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(),
                () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    Path folder = modelFolderWith(c.file());
                    ApertureException e = assertThrows(ApertureException.class,
                            () -> ClipModel.load(folder, ModelOptions.defaults().withThreads(1)).close());
                    assertTrue(c.isExplainedBy(e.getMessage()), c.messageMentionsAny() + " in: " + e.getMessage());
                }))).toList();
    }

    private Path modelFolderWith(Path checkpoint) {
        try {
            Path folder = Files.createDirectories(dir.resolve(checkpoint.getFileName().toString() + ".model"));
            for (String file : MODEL_FILES) {
                Files.copy(TestData.clipTiny().resolve(file), folder.resolve(file));
            }
            Files.copy(checkpoint, folder.resolve("pytorch_model.bin"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
