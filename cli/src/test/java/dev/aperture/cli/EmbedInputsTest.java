package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code embed --input}, image folders, {@code --output} and {@code --format npy} on the tiny CLIP fixture. */
class EmbedInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = fixture("");

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
        List<JsonNode> lines() throws IOException {
            return parseLines(out);
        }
    }

    private static Path fixture(String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", file);
    }

    private static List<JsonNode> parseLines(String text) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static Result run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(stdin, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return run(InputStream.nullInputStream(), args);
    }

    private static float[] embedding(JsonNode line) {
        JsonNode values = line.get("embedding");
        float[] embedding = new float[values.size()];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) values.get(i).asDouble();
        }
        return embedding;
    }

    @Test
    void inputFileOfTenThousandLinesGivesTheApisVectorsInOrder() throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            texts.add("photo number " + i + (i % 3 == 0 ? " of a cat" : i % 3 == 1 ? " of a dog" : ""));
        }
        Path input = dir.resolve("texts.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Result result = run("embed", "--model", MODEL.toString(), "--input", input.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<JsonNode> lines = result.lines();
        assertEquals(texts.size(), lines.size());
        float[][] expected;
        try (ClipModel model = ClipModel.load(MODEL, ModelOptions.defaults())) {
            expected = model.embedTexts(texts);
        }
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), lines.get(i).get("text").asText());
            assertArrayEquals(expected[i], embedding(lines.get(i)), 1e-6f, "line " + (i + 1));
        }
    }

    @Test
    void stdinJsonLinesMixTextsAndImagesAndKeepTheirOrder() throws IOException {
        Path image = fixture("images/gradient_64x64_rgb.png");
        String stdin = "{\"text\": \"a cat\"}\n\n{\"image\": " + JSON.writeValueAsString(image.toString()) + "}\n"
                + "{\"text\": \"{not json, but a text}\"}\nplain text line\n";
        Result result = run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                "embed", "--model", MODEL.toString(), "--input", "-", "--text", "last");
        assertEquals(0, result.exitCode(), result.err());
        List<JsonNode> lines = result.lines();
        assertEquals(5, lines.size());
        assertEquals("a cat", lines.get(0).get("text").asText());
        assertEquals(image.toString(), lines.get(1).get("image").asText());
        assertEquals("{not json, but a text}", lines.get(2).get("text").asText());
        assertEquals("plain text line", lines.get(3).get("text").asText());
        assertEquals("last", lines.get(4).get("text").asText());
        try (ClipModel model = ClipModel.load(MODEL, ModelOptions.defaults())) {
            assertArrayEquals(model.embedImages(List.of(ImageInput.of(image)))[0], embedding(lines.get(1)), 1e-6f);
        }
    }

    @Test
    void malformedJsonLineIsBadInputNamingTheLine() throws IOException {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"text\": \"ok\"}\n{\"text\": 3}\n");
        Result result = run("embed", "--model", MODEL.toString(), "--input", input.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("bad.jsonl:2"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void imageFolderIsWalkedRecursivelySortedSkippingHiddenAndNonImageFiles() throws IOException {
        Path folder = dir.resolve("photos");
        Files.createDirectories(folder.resolve("b/deeper"));
        Files.createDirectories(folder.resolve(".thumbnails"));
        Path png = fixture("images/gradient_64x64_rgb.png");
        Files.copy(png, folder.resolve("b/deeper/one.png"));
        Files.copy(png, folder.resolve("a.PNG"));
        Files.copy(png, folder.resolve(".hidden.png"));
        Files.copy(png, folder.resolve(".thumbnails/thumb.png"));
        Files.writeString(folder.resolve("a.xmp"), "<x/>");
        Result result = run("embed", "--model", MODEL.toString(), "--image", folder.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<JsonNode> lines = result.lines();
        assertEquals(List.of(folder.resolve("a.PNG").toString(), folder.resolve("b/deeper/one.png").toString()),
                lines.stream().map(line -> line.get("image").asText()).toList());
    }

    @Test
    void npyOutputHoldsTheJsonEmbeddingsAsFloat32RowsWithTheInputsBeside() throws IOException {
        Path input = dir.resolve("inputs.jsonl");
        Path image = fixture("images/shapes_80x60_rgb.png");
        Files.writeString(input, "a cat\n{\"image\": " + JSON.writeValueAsString(image.toString()) + "}\na dog\n");
        Result json = run("embed", "--model", MODEL.toString(), "--input", input.toString());
        assertEquals(0, json.exitCode(), json.err());
        Path npy = dir.resolve("vectors.npy");
        Result written = run("embed", "--model", MODEL.toString(), "--input", input.toString(),
                "--output", npy.toString());
        assertEquals(0, written.exitCode(), written.err());
        assertEquals("", written.out());

        List<JsonNode> expected = json.lines();
        float[][] rows = readNpy(npy, expected.size(), 32);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(embedding(expected.get(i)), rows[i], 0f, "row " + i);
        }
        List<JsonNode> inputs = parseLines(Files.readString(dir.resolve("vectors.jsonl")));
        assertEquals(3, inputs.size());
        assertEquals("a cat", inputs.get(0).get("text").asText());
        assertEquals(image.toString(), inputs.get(1).get("image").asText());
        assertTrue(!inputs.get(1).has("embedding"));
    }

    @Test
    void jsonlOutputFileEqualsStandardOutput() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Result toFile = run("embed", "--model", MODEL.toString(), "--text", "a", "--text", "b",
                "--output", out.toString());
        Result toStdout = run("embed", "--model", MODEL.toString(), "--text", "a", "--text", "b");
        assertEquals(0, toFile.exitCode(), toFile.err());
        assertEquals(toStdout.out(), Files.readString(out));
    }

    @Test
    void npyWithoutOutputIsBadUsage() {
        assertEquals(2, run("embed", "--model", MODEL.toString(), "--text", "a", "--format", "npy").exitCode());
    }

    @Test
    void emptyInputFileIsBadUsage() throws IOException {
        Path input = dir.resolve("empty.txt");
        Files.writeString(input, "\n\n");
        assertEquals(2, run("embed", "--model", MODEL.toString(), "--input", input.toString()).exitCode());
    }

    /** A .npy reader for exactly what numpy needs to load it: magic, version 1.0, header dict, then the data. */
    private static float[][] readNpy(Path file, int expectedRows, int expectedColumns) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(buffer.getShort(8));
        assertEquals(0, (10 + headerLength) % 64, "numpy aligns the data to 64 bytes");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header);
        Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
        assertTrue(shape.find(), header);
        assertEquals(expectedRows, Integer.parseInt(shape.group(1)));
        assertEquals(expectedColumns, Integer.parseInt(shape.group(2)));
        assertEquals(10 + headerLength + (long) expectedRows * expectedColumns * 4, bytes.length);
        buffer.position(10 + headerLength);
        float[][] rows = new float[expectedRows][expectedColumns];
        for (float[] row : rows) {
            buffer.asFloatBuffer().get(row);
            buffer.position(buffer.position() + row.length * 4);
        }
        return rows;
    }
}
