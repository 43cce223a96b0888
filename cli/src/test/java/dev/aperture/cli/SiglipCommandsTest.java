package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code classify}, {@code embed}, {@code tokenize} and {@code inspect} on the SigLIP fixtures: the family comes
 * from config.json, scores are per-label sigmoids matching expected.json, ids match transformers'.
 */
class SiglipCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int exitCode, List<JsonNode> lines, String out, String err) {
    }

    private static Path fixture(String folder, String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), folder, file);
    }

    private static JsonNode expected(String folder) throws IOException {
        return JSON.readTree(fixture(folder, "expected.json").toFile());
    }

    private static Result run(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank() && line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Result(exitCode, lines, out.toString(), err.toString());
    }

    /** The first two fixture texts as verbatim labels: each label's score is its own sigmoid from expected.json. */
    @ParameterizedTest
    @ValueSource(strings = {"siglip-tiny", "siglip2-tiny"})
    void classifyScoresEachLabelWithItsOwnSigmoid(String folder) throws IOException {
        JsonNode expected = expected(folder);
        String first = expected.get("texts").get(0).get("text").asText();
        String second = expected.get("texts").get(1).get("text").asText();
        JsonNode image = expected.get("images").get(1);
        Result result = run("classify", "--model", fixture(folder, "").toString(), "--template", "{}",
                "--labels", first + "," + second, fixture(folder, image.get("file").asText()).toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode line = result.lines().getFirst();
        assertEquals("sigmoid", line.get("scoring").asText());
        for (JsonNode label : line.get("labels")) {
            int index = label.get("label").asText().equals(first) ? 0 : 1;
            assertEquals(image.get("probs").get(index).asDouble(), label.get("score").asDouble(), 1e-4);
            assertEquals(image.get("logits").get(index).asDouble(), label.get("logit").asDouble(), 1e-3);
        }
    }

    @Test
    void classifyOnClipStillSaysSoftmax() throws IOException {
        Result result = run("classify", "--model", fixture("clip-tiny", "").toString(), "--labels", "cat,dog",
                fixture("clip-tiny", "images/gradient_64x64_rgb.png").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("softmax", result.lines().getFirst().get("scoring").asText());
    }

    @Test
    void tokenizePrintsTransformersIdsWithoutThePadding() throws IOException {
        // siglip-tiny pads on the right with </s> (id 1), which is also the appended end token.
        Result result = run("tokenize", "--model", fixture("siglip-tiny", "").toString(), "--text",
                "a photo of a cat");
        assertEquals(0, result.exitCode(), result.err());
        List<Integer> ids = new ArrayList<>();
        result.lines().getFirst().get("ids").forEach(id -> ids.add(id.asInt()));
        assertEquals(List.of(3, 7, 5, 3, 205, 1), ids);
    }

    @Test
    void embedGivesTheExpectedImageEmbedding() throws IOException {
        JsonNode image = expected("siglip-tiny").get("images").get(0);
        Result result = run("embed", "--model", fixture("siglip-tiny", "").toString(), "--image",
                fixture("siglip-tiny", image.get("file").asText()).toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode embedding = result.lines().getFirst().get("embedding");
        assertEquals(image.get("embedding").size(), embedding.size());
        for (int i = 0; i < embedding.size(); i++) {
            assertEquals(image.get("embedding").get(i).asDouble(), embedding.get(i).asDouble(), 1e-4);
        }
    }

    @Test
    void inspectListsTheAttentionPoolingHead() throws IOException {
        Result result = run("inspect", fixture("siglip-tiny", "").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("vision_model.head.attention.in_proj_weight"), result.out());
        assertTrue(result.out().contains("logit_bias"), result.out());
    }
}
