package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code classify}, {@code embed} and {@code tokenize} on the tiny CLIP fixture: JSON Lines out, exit codes. */
class ClipCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = fixture("").toString();

    private record Result(int exitCode, List<JsonNode> lines, String err) {
    }

    private static Path fixture(String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", file);
    }

    private static Result run(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Result(exitCode, lines, err.toString());
    }

    @Test
    void classifyPrintsOneLinePerImageWithLabelsSortedByScore() throws IOException {
        Result result = run("classify", "--model", MODEL, "--labels", "cat,dog,car",
                fixture("images/gradient_64x64_rgb.png").toString(), fixture("images/shapes_80x60_rgb.png").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(2, result.lines().size());
        JsonNode first = result.lines().getFirst();
        assertTrue(first.get("image").asText().endsWith("gradient_64x64_rgb.png"));
        JsonNode labels = first.get("labels");
        assertEquals(3, labels.size());
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += labels.get(i).get("score").asDouble();
            assertTrue(labels.get(i).has("logit"));
            if (i > 0) {
                assertTrue(labels.get(i - 1).get("score").asDouble() >= labels.get(i).get("score").asDouble());
            }
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void classifyTopLimitsTheListAndPresetsWork() throws IOException {
        Result result = run("classify", "--model", MODEL, "--labels", "cat,dog,car", "--top", "1",
                "--templates", "imagenet7", fixture("images/gradient_64x64_rgb.png").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, result.lines().getFirst().get("labels").size());
    }

    @Test
    void classifyReportsAnUnreadableImageAndStillClassifiesTheOthers() throws IOException {
        Result result = run("classify", "--model", MODEL, "--labels", "cat,dog",
                fixture("README.txt").toString(), fixture("images/gradient_64x64_rgb.png").toString());
        assertEquals(1, result.exitCode());
        assertEquals(1, result.lines().size());
        assertTrue(result.err().contains("README.txt"), result.err());
    }

    @Test
    void classifyWithoutLabelsIsBadUsage() throws IOException {
        Result result = run("classify", "--model", MODEL, fixture("images/gradient_64x64_rgb.png").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--labels"), result.err());
    }

    @Test
    void classifyWithMissingModelIsBadInput() throws IOException {
        Result result = run("classify", "--model", fixture("nope").toString(), "--labels", "a,b",
                fixture("images/gradient_64x64_rgb.png").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("nope"), result.err());
    }

    @Test
    void offlineHubIdMissingFromTheCacheSaysWhatIsMissing() throws IOException {
        Result result = run("classify", "--model", "aperture-tests/not-downloaded", "--offline", "--labels", "a,b",
                fixture("images/gradient_64x64_rgb.png").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("aperture-tests/not-downloaded"), result.err());
        assertTrue(result.err().toLowerCase(java.util.Locale.ROOT).contains("offline"), result.err());
    }

    @Test
    void embedKeepsCommandLineOrderAndNormalizes() throws IOException {
        Result result = run("embed", "--model", MODEL, "--text", "a cat",
                "--image", fixture("images/gradient_64x64_rgb.png").toString(), "--text", "a dog");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(3, result.lines().size());
        assertEquals("a cat", result.lines().get(0).get("text").asText());
        assertTrue(result.lines().get(1).get("image").asText().endsWith("gradient_64x64_rgb.png"));
        assertEquals("a dog", result.lines().get(2).get("text").asText());
        for (JsonNode line : result.lines()) {
            double norm = 0;
            for (JsonNode v : line.get("embedding")) {
                norm += v.asDouble() * v.asDouble();
            }
            assertEquals(32, line.get("embedding").size());
            assertEquals(1.0, norm, 1e-5);
        }
    }

    @Test
    void embedWithNothingToEmbedIsBadUsage() throws IOException {
        assertEquals(2, run("embed", "--model", MODEL).exitCode());
    }

    @Test
    void tokenizePrintsUnpaddedIdsWithBosAndEos() throws IOException {
        Result result = run("tokenize", "--model", MODEL, "--text", "a photo of a cat", "--text", "");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode ids = result.lines().get(0).get("ids");
        assertEquals(49406, ids.get(0).asInt());
        assertEquals(49407, ids.get(ids.size() - 1).asInt());
        assertEquals(7, ids.size());
        assertEquals(2, result.lines().get(1).get("ids").size());
    }
}
