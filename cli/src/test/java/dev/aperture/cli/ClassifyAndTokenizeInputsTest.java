package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code classify} and {@code tokenize} reading --input files, standard input and image folders (tiny CLIP). */
class ClassifyAndTokenizeInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = fixture("").toString();

    @TempDir
    Path dir;

    private record Result(int exitCode, List<JsonNode> lines, String err) {
    }

    private static Path fixture(String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", file);
    }

    private static Result run(InputStream stdin, String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(stdin, new PrintWriter(out), new PrintWriter(err), args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Result(exitCode, lines, err.toString());
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void classifyReadsImagePathsAndJsonLinesFromStdinAfterTheArguments() throws IOException {
        Path gradient = fixture("images/gradient_64x64_rgb.png");
        Path shapes = fixture("images/shapes_80x60_rgb.png");
        Path jpeg = fixture("images/shapes_80x60_rgb_q90.jpg");
        Result result = run(stdin(shapes + "\n{\"image\": " + JSON.writeValueAsString(jpeg.toString()) + "}\n"),
                "classify", "--model", MODEL, "--labels", "cat,dog", gradient.toString(), "--input", "-");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(List.of(gradient.toString(), shapes.toString(), jpeg.toString()),
                result.lines().stream().map(line -> line.get("image").asText()).toList());
    }

    @Test
    void classifyGivesTheSameScoresBatchedAsOneImageAtATime() throws IOException {
        Path folder = fixture("images");
        Result batched = run(InputStream.nullInputStream(), "classify", "--model", MODEL, "--labels", "cat,dog,car",
                folder.toString());
        Result single = run(InputStream.nullInputStream(), "classify", "--model", MODEL, "--labels", "cat,dog,car",
                "--batch", "1", folder.toString());
        assertEquals(0, batched.exitCode(), batched.err());
        assertEquals(6, batched.lines().size(), "every image of the fixture folder, README.txt etc. not");
        for (int i = 0; i < 6; i++) {
            JsonNode a = batched.lines().get(i).get("labels");
            JsonNode b = single.lines().get(i).get("labels");
            for (int l = 0; l < 3; l++) {
                assertEquals(b.get(l).get("label").asText(), a.get(l).get("label").asText());
                assertEquals(b.get(l).get("score").asDouble(), a.get(l).get("score").asDouble(), 1e-5);
            }
        }
    }

    @Test
    void classifyFolderWithAnUnreadableImageReportsItAndClassifiesTheRest() throws IOException {
        Files.copy(fixture("images/gradient_64x64_rgb.png"), dir.resolve("a.png"));
        Files.writeString(dir.resolve("b.jpg"), "not a jpeg");
        Files.copy(fixture("images/shapes_80x60_rgb.png"), dir.resolve("c.png"));
        Result result = run(InputStream.nullInputStream(), "classify", "--model", MODEL, "--labels", "cat,dog",
                dir.toString());
        assertEquals(1, result.exitCode());
        assertEquals(List.of(dir.resolve("a.png").toString(), dir.resolve("c.png").toString()),
                result.lines().stream().map(line -> line.get("image").asText()).toList());
        assertTrue(result.err().contains("b.jpg"), result.err());
    }

    @Test
    void classifyRefusesATextLine() throws IOException {
        Result result = run(stdin("{\"text\": \"a cat\"}\n"), "classify", "--model", MODEL, "--labels", "cat,dog",
                "--input", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("a cat"), result.err());
    }

    @Test
    void classifyWithNoImageIsBadUsage() throws IOException {
        assertEquals(2, run(InputStream.nullInputStream(), "classify", "--model", MODEL, "--labels", "a,b").exitCode());
    }

    @Test
    void tokenizeInputLinesEqualTheSameTextsGivenAsArguments() throws IOException {
        Result fromInput = run(stdin("a photo of a cat\n{\"text\": \"\"}\n"), "tokenize", "--model", MODEL,
                "--input", "-");
        Result fromArgs = run(InputStream.nullInputStream(), "tokenize", "--model", MODEL,
                "--text", "a photo of a cat", "--text", "");
        assertEquals(0, fromInput.exitCode(), fromInput.err());
        assertEquals(fromArgs.lines(), fromInput.lines());
    }

    @Test
    void tokenizerOptionIsRefusedForAModelWithItsOwnTokenizer() throws IOException {
        Result result = run(InputStream.nullInputStream(), "tokenize", "--model", MODEL, "--tokenizer",
                fixture("tokenizer.json").toString(), "--text", "a");
        assertEquals(2, result.exitCode());
    }
}
