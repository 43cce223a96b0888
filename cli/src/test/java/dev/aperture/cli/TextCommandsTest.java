package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.bert.AllMiniLmL6V2;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code embed} (on a BERT model) and {@code classify-text} with all-MiniLM-L6-v2 (the default model: the Maven Central jar,
 * present in the local repository because the models module's tests depend on it).
 */
class TextCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AllMiniLmL6V2.OnnxFiles model;

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    @TempDir
    static Path cache;

    @BeforeAll
    static void resolveDefaultModel() {
        // Extract into a temp folder rather than the user's ~/.cache.
        System.setProperty("aperture.cache", cache.toString());
        model = AllMiniLmL6V2.resolve(System.err::println);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static JsonNode goldenEntry(int index) throws IOException {
        Path golden = Path.of(System.getProperty("aperture.testdata", "../testdata"), "minilm", "golden.json");
        return JSON.readTree(golden.toFile()).get("entries").get(index);
    }

    @Test
    void embedWithABertModelPrintsOneJsonLinePerTextMatchingGolden() throws IOException {
        Result result = run("embed", "--model", model.onnx().toString(), "--tokenizer", model.tokenizer().toString(),
                "--threads", "1", "--text", "Hello world", "--text", "The quick brown fox jumps over the lazy dog.");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(2, lines.length);
        for (int i = 0; i < 2; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            JsonNode golden = goldenEntry(i);
            assertEquals(golden.get("text").asText(), line.get("text").asText());
            assertEquals(384, line.get("embedding").size());
            for (int d = 0; d < 384; d++) {
                assertEquals(golden.get("embedding").get(d).asDouble(), line.get("embedding").get(d).asDouble(), 1e-4);
            }
        }
    }

    @Test
    void tokenizeAnOnnxModelGivesTheGoldenIdsForEveryTextOfAJsonLinesInput() throws IOException {
        JsonNode entries = JSON.readTree(Path.of(System.getProperty("aperture.testdata", "../testdata"), "minilm",
                "golden.json").toFile()).get("entries");
        StringBuilder input = new StringBuilder();
        for (JsonNode entry : entries) {
            input.append(JSON.writeValueAsString(JSON.createObjectNode().put("text", entry.get("text").asText())))
                    .append('\n');
        }
        Path inputFile = dir.resolve("texts.jsonl");
        Files.writeString(inputFile, input);
        Result result = run("tokenize", "--model", model.onnx().toString(), "--tokenizer",
                model.tokenizer().toString(), "--input", inputFile.toString());
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(entries.size(), lines.length);
        for (int i = 0; i < entries.size(); i++) {
            JsonNode golden = entries.get(i).get("token_ids");
            JsonNode ids = JSON.readTree(lines[i]).get("ids");
            if (entries.get(i).get("truncated").asBoolean()) {
                // The golden truncates at tokenizer.json's 128; embedding truncates where the model's files say,
                // so only the shared prefix and the closing [SEP] are fixed.
                for (int t = 0; t < golden.size() - 1; t++) {
                    assertEquals(golden.get(t).asInt(), ids.get(t).asInt(), "entry " + i + " token " + t);
                }
                assertEquals(102, ids.get(ids.size() - 1).asInt(), "entry " + i + " ends with [SEP]");
            } else {
                assertEquals(golden, ids, "entry " + i);
            }
        }
    }

    @Test
    void classifyTextWithDefaultModelRanksLabels() throws IOException {
        Result result = run("classify-text", "--labels", "sports,cooking,finance", "--template",
                "This text is about {}.", "The striker scored twice in the second half.",
                "The central bank raised interest rates.");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals("The striker scored twice in the second half.", first.get("text").asText());
        assertEquals(3, first.get("labels").size());
        assertEquals("sports", first.get("labels").get(0).get("label").asText());
        assertTrue(first.get("labels").get(0).get("score").asDouble() >= first.get("labels").get(1).get("score").asDouble());
        assertEquals("finance", JSON.readTree(lines[1]).get("labels").get(0).get("label").asText());
    }

    @Test
    void malformedOnnxModelIsBadInput() throws IOException {
        Path broken = Files.write(dir.resolve("broken.onnx"), new byte[] {0x3A, (byte) 0xFF, (byte) 0xFF, 0x7F});
        Result result = run("embed", "--model", broken.toString(), "--tokenizer", model.tokenizer().toString(),
                "--text", "hi");
        assertEquals(ErrorReporting.EXIT_BAD_INPUT, result.exitCode());
        assertTrue(result.err().startsWith("error: Malformed ONNX file " + broken), result.err());
    }

    @Test
    void missingLabelsIsBadUsage() {
        Result result = run("classify-text", "some text");
        assertEquals(ErrorReporting.EXIT_BAD_USAGE, result.exitCode());
        assertTrue(result.err().contains("--labels"), result.err());
    }

    @Test
    void embedWithoutTextIsBadUsage() {
        Result result = run("embed", "--model", model.onnx().toString());
        assertEquals(ErrorReporting.EXIT_BAD_USAGE, result.exitCode());
        assertTrue(result.err().contains("--text"), result.err());
    }

    @Test
    void embedRefusesImagesForATextOnlyModel() {
        Result result = run("embed", "--model", model.onnx().toString(), "--tokenizer", model.tokenizer().toString(),
                "--image", "cat.png");
        assertEquals(ErrorReporting.EXIT_BAD_USAGE, result.exitCode());
        assertTrue(result.err().contains("needs a CLIP or SigLIP model"), result.err());
    }
}
