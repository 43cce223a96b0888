package dev.aperture.core.checkpoint;

import dev.aperture.core.FormatException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation of a sharded checkpoint's model.safetensors.index.json. */
class MalformedShardIndexTest {
    private static final String SHARD = "model-00001-of-00001.safetensors";

    @TempDir
    Path dir;

    @BeforeEach
    void writeOneShard() {
        SafeTensors.write(dir.resolve(SHARD), List.of(TensorToWrite.ofBytes("w", DType.U8, new long[] {1}, new byte[1])));
    }

    private Path index(String json) throws IOException {
        Path file = dir.resolve("model.safetensors.index.json");
        Files.writeString(file, json);
        return file;
    }

    private static void assertRejected(Path index, String... fragments) {
        FormatException e = assertThrows(FormatException.class,
                () -> Checkpoints.open(index));
        assertTrue(e.getMessage().contains("model.safetensors.index.json"), "message should name the index: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should contain '" + fragment + "': " + e.getMessage());
        }
    }

    @Test
    void opensAWellFormedIndex() throws IOException {
        try (TensorSource source = Checkpoints.open(index("{\"weight_map\":{\"w\":\"" + SHARD + "\"}}"))) {
            assertTrue(source.contains("w"));
            assertTrue(source.metadata().isEmpty());
        }
    }

    @Test
    void rejectsMissingShardFile() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"model-00002-of-00002.safetensors\"}}"),
                "model-00002-of-00002.safetensors", "'w'", "missing");
    }

    @Test
    void rejectsTensorAbsentFromItsShard() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"" + SHARD + "\",\"ghost\":\"" + SHARD + "\"}}"),
                "'ghost'", "absent");
    }

    @Test
    void rejectsShardNameEscapingTheFolder() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"../" + SHARD + "\"}}"), "\"../" + SHARD + "\"", "refused");
    }

    @Test
    void rejectsAbsoluteShardName() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"" + dir.resolve(SHARD).toAbsolutePath() + "\"}}"), "refused");
    }

    @Test
    void rejectsDotDotShardName() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"..\"}}"), "refused");
    }

    @Test
    void rejectsMissingWeightMap() throws IOException {
        assertRejected(index("{\"metadata\":{}}"), "\"weight_map\"");
    }

    @Test
    void rejectsNonStringShardName() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":1}}"), "'w'", "not a string");
    }

    @Test
    void rejectsInvalidJson() throws IOException {
        assertRejected(index("{\"weight_map\":"), "not valid JSON");
    }

    @Test
    void rejectsDuplicateTensorInWeightMap() throws IOException {
        assertRejected(index("{\"weight_map\":{\"w\":\"" + SHARD + "\",\"w\":\"" + SHARD + "\"}}"), "Duplicate field 'w'");
    }

    @Test
    void reportsAMalformedShardByItsOwnName() throws IOException {
        Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2});
        FormatException e = assertThrows(FormatException.class,
                () -> Checkpoints.open(index("{\"weight_map\":{\"w\":\"broken.safetensors\"}}")));
        assertTrue(e.getMessage().contains("broken.safetensors"), e.getMessage());
    }
}
