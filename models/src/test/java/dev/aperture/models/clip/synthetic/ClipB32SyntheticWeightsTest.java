package dev.aperture.models.clip.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The synthetic ViT-B/32 weights (151M parameters) against testdata/clip-b32-synthetic (README.txt): every tensor
 * the generator makes (its self-test vectors: SyntheticWeightsTest) matches weights_manifest.json (names, shapes,
 * first bits, selected SHA-256s). ClipB32SyntheticTest runs the towers on these weights against Hugging Face's outputs.
 */
@Tag("slow")
class ClipB32SyntheticWeightsTest {
    private static final List<String> SHA256_CHECKED = List.of(
            "logit_scale",
            "text_model.embeddings.token_embedding.weight",
            "text_model.embeddings.position_embedding.weight",
            "text_model.encoder.layers.0.self_attn.q_proj.weight",
            "text_model.encoder.layers.11.mlp.fc2.bias",
            "vision_model.embeddings.class_embedding",
            "vision_model.embeddings.patch_embedding.weight",
            "vision_model.pre_layrnorm.weight",
            "vision_model.post_layernorm.bias",
            "visual_projection.weight",
            "text_projection.weight");

    private static JsonNode manifest;
    private static TensorSource weights;
    private static ClipConfig config;

    private static Path fixture() {
        return TestData.clipB32();
    }

    @BeforeAll
    static void regenerateWeights() throws IOException {
        ObjectMapper json = new ObjectMapper();
        manifest = json.readTree(fixture().resolve("weights_manifest.json").toFile());
        config = ClipConfig.load(fixture().resolve("config.json"));
        weights = SyntheticClip.tensors(config);
    }

    @AfterAll
    static void release() {
        weights = null;
    }

    @Test
    void generatorMakesExactlyTheManifestTensorsWithTheirShapes() {
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode tensor : manifest.get("tensors")) {
            String name = tensor.get("name").asText();
            names.add(name);
            long[] shape = new long[tensor.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = tensor.get("shape").get(i).asLong();
            }
            assertArrayEquals(shape, weights.tensor(name).shape(), name);
        }
        assertEquals(new java.util.TreeSet<>(names), new java.util.TreeSet<>(weights.names()));
    }

    @Test
    void namedArchitectureVitB32IsTheFixtureConfig() {
        assertEquals(config, SyntheticClip.config(SyntheticClip.VIT_B_32));
    }

    @Test
    void everyTensorStartsWithManifestBits() {
        long parameters = 0;
        for (JsonNode tensor : manifest.get("tensors")) {
            String name = tensor.get("name").asText();
            float[] values = weights.tensor(name).toFloatArray();
            parameters += values.length;
            JsonNode bits = tensor.get("first4_bits");
            for (int i = 0; i < bits.size(); i++) {
                assertEquals(Long.decode(bits.get(i).asText()).intValue(), Float.floatToRawIntBits(values[i]),
                        name + " element " + i);
            }
        }
        assertEquals(manifest.get("n_parameters").asLong(), parameters);
    }

    @Test
    void selectedTensorsMatchManifestSha256() throws NoSuchAlgorithmException {
        for (JsonNode tensor : manifest.get("tensors")) {
            String name = tensor.get("name").asText();
            if (!SHA256_CHECKED.contains(name)) {
                continue;
            }
            float[] values = weights.tensor(name).toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
            assertEquals(tensor.get("sha256_f32le").asText(), sha256, name);
        }
    }
}
