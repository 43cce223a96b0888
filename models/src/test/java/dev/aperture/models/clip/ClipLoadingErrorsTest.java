package dev.aperture.models.clip;

import dev.aperture.models.InMemoryTensors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.ShardedSafeTensorsWriter;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading fails with a typed exception naming the file or tensor at fault (clip-tiny as the base model). */
class ClipLoadingErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @TempDir
    Path dir;

    @AfterAll
    static void closeBackend() {
        BACKEND.close();
    }

    private static Path tiny() {
        return TestData.clipTiny();
    }

    /** A model folder holding clip-tiny's weights and its config.json with one field of one section changed. */
    private Path folderWithConfigChange(String section, String field, int value) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(tiny().resolve("config.json").toFile());
        ((ObjectNode) config.get(section)).put(field, value);
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config));
        Files.copy(tiny().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    private static void assertMentions(Exception error, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "'" + fragment + "' missing from: " + error.getMessage());
        }
    }

    @Test
    void loadsAShardedCheckpointWithTheSameResults() throws IOException {
        Files.copy(tiny().resolve("config.json"), dir.resolve("config.json"));
        try (SafeTensors single = SafeTensors.open(tiny().resolve("model.safetensors"))) {
            List<TensorToWrite> tensors = single.names().stream().map(name -> TensorToWrite.of(single.tensor(name))).toList();
            ShardedSafeTensorsWriter.write(dir, tensors, Map.of("format", "pt"), 3_000_000);
        }
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        int[][] ids = {{49406, 320, 1125, 539, 320, 2368, 49407}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1}};
        try (ClipTowers sharded = ClipTowers.load(dir, BACKEND); ClipTowers single = ClipTowers.load(tiny(), BACKEND)) {
            assertArrayEquals(single.encodeText(ids, mask)[0], sharded.encodeText(ids, mask)[0]);
        }
    }

    @Test
    void refusesATruncatedPickleNamingTheFile() throws IOException {
        // A pickle-only folder is loaded now (by the weights-only unpickler): what it refuses is a broken pickle.
        Files.copy(tiny().resolve("config.json"), dir.resolve("config.json"));
        Files.write(dir.resolve("pytorch_model.bin"), new byte[]{(byte) 0x80, 2});
        FormatException error = assertThrows(FormatException.class, () -> ClipTowers.load(dir, BACKEND));
        assertMentions(error, dir.resolve("pytorch_model.bin").toString(), "truncated");
    }

    @Test
    void loadsTheUnchangedTinyModelFolder() {
        try (ClipTowers towers = ClipTowers.load(tiny(), BACKEND)) {
            assertTrue(towers.encodeImages(new float[1][3 * 32 * 32])[0].length == 32);
        }
    }

    @Test
    void rejectsPatchSizeThatDisagreesWithPatchEmbedding() throws IOException {
        Path folder = folderWithConfigChange("vision_config", "patch_size", 16);
        ModelMismatchException error = assertThrows(ModelMismatchException.class,
                () -> ClipTowers.load(folder, BACKEND));
        assertMentions(error, "'vision_model.embeddings.patch_embedding.weight'", "[64, 3, 8, 8]", "[64, 3, 16, 16]",
                "patch_size 16");
    }

    @Test
    void rejectsTextHiddenSizeThatDisagreesWithTokenEmbedding() throws IOException {
        Path folder = folderWithConfigChange("text_config", "hidden_size", 64);
        ModelMismatchException error = assertThrows(ModelMismatchException.class,
                () -> ClipTowers.load(folder, BACKEND));
        assertMentions(error, "'text_model.embeddings.token_embedding.weight'", "[49408, 48]", "[49408, 64]",
                "hidden_size 64");
    }

    @Test
    void rejectsIntermediateSizeThatDisagreesWithMlp() throws IOException {
        Path folder = folderWithConfigChange("vision_config", "intermediate_size", 100);
        ModelMismatchException error = assertThrows(ModelMismatchException.class,
                () -> ClipTowers.load(folder, BACKEND));
        assertMentions(error, "'vision_model.encoder.layers.0.mlp.fc1.weight'", "[128, 64]", "[100, 64]");
    }

    @Test
    void rejectsConfigWithMoreLayersThanTheCheckpointNamingTheMissingTensors() throws IOException {
        Path folder = folderWithConfigChange("text_config", "num_hidden_layers", 3);
        ModelMismatchException error = assertThrows(ModelMismatchException.class,
                () -> ClipTowers.load(folder, BACKEND));
        assertMentions(error, "text_model.encoder.layers.2.self_attn.q_proj.weight",
                "text_model.encoder.layers.2.mlp.fc1.bias", "16 of the", "(4 more)");
    }

    @Test
    void namesEveryMissingTensor() {
        ClipConfig config = ClipConfig.load(tiny().resolve("config.json"));
        try (SafeTensors file = SafeTensors.open(tiny().resolve("model.safetensors"))) {
            InMemoryTensors weights = InMemoryTensors.copyOf(file)
                    .remove("visual_projection.weight")
                    .remove("text_model.final_layer_norm.bias");
            ModelMismatchException error = assertThrows(ModelMismatchException.class,
                    () -> ClipTowers.load(weights, config, BACKEND));
            assertMentions(error, "visual_projection.weight", "text_model.final_layer_norm.bias", "2 of the");
        }
    }

    @Test
    void rejectsWeightWithIntegerDtype() {
        ClipConfig config = ClipConfig.load(tiny().resolve("config.json"));
        try (SafeTensors file = SafeTensors.open(tiny().resolve("model.safetensors"))) {
            String name = "vision_model.post_layernorm.weight";
            InMemoryTensors weights = InMemoryTensors.copyOf(file)
                    .put(new TensorView(name, DType.I32, new long[]{64}, MemorySegment.ofArray(new int[64])));
            ModelMismatchException error = assertThrows(ModelMismatchException.class,
                    () -> ClipTowers.load(weights, config, BACKEND));
            assertMentions(error, name, "I32");
        }
    }

    @Test
    void ignoresPositionIdsBuffers() {
        ClipConfig config = ClipConfig.load(tiny().resolve("config.json"));
        try (SafeTensors file = SafeTensors.open(tiny().resolve("model.safetensors"))) {
            InMemoryTensors weights = InMemoryTensors.copyOf(file)
                    .put(new TensorView("text_model.embeddings.position_ids", DType.I64, new long[]{1, 77},
                            MemorySegment.ofArray(new long[77])));
            try (ClipTowers towers = ClipTowers.load(weights, config, BACKEND)) {
                assertTrue(towers.logitScale() > 0);
            }
        }
    }

    @Test
    void rejectsFolderWithoutWeightsFile() throws IOException {
        Files.copy(tiny().resolve("config.json"), dir.resolve("config.json"));
        InputException error = assertThrows(InputException.class, () -> ClipTowers.load(dir, BACKEND));
        assertMentions(error, "model.safetensors", dir.toString());
    }

    @Test
    void rejectsFolderWithoutConfig() throws IOException {
        Files.copy(tiny().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        InputException error = assertThrows(InputException.class, () -> ClipTowers.load(dir, BACKEND));
        assertMentions(error, "config.json");
    }

    @Test
    void rejectsMissingFolder() {
        Path missing = dir.resolve("no-such-model");
        InputException error = assertThrows(InputException.class, () -> ClipTowers.load(missing, BACKEND));
        assertMentions(error, missing.toString());
    }
}
