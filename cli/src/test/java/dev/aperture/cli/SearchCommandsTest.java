package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aperture index} then {@code aperture search} on the tiny CLIP fixture, end to end. */
class SearchCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny")
            .toString();

    @TempDir
    Path root;

    private record Result(int exitCode, List<JsonNode> lines, String err) {
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

    private static void writeImage(Path file, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void indexReportsCountsAndCorruptFilesThenSearchPrintsHitsBestFirst() throws IOException {
        Path photos = root.resolve("photos");
        for (int i = 0; i < 12; i++) {
            writeImage(photos.resolve(i % 2 == 0 ? "even" : "odd").resolve("img-" + i + ".png"), i);
        }
        Files.writeString(photos.resolve("readme.txt"), "not an image, not a failure");
        Files.write(photos.resolve("odd/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.createSymbolicLink(photos.resolve("even/loop"), photos);
        String index = root.resolve("index").toString();

        Result first = run("index", "--model", MODEL, "--index", index, "--follow-links", photos.toString());
        assertEquals(1, first.exitCode(), first.err());
        assertEquals(1, first.lines().size());
        JsonNode counts = first.lines().getFirst();
        assertEquals(12, counts.get("added").asInt());
        assertEquals(0, counts.get("updated").asInt());
        assertEquals(0, counts.get("removed").asInt());
        assertEquals(0, counts.get("unchanged").asInt());
        assertEquals(1, counts.get("failed").asInt());
        assertTrue(first.err().contains("skipped " + photos.resolve("odd/broken.png").toAbsolutePath()), first.err());

        Files.delete(photos.resolve("odd/broken.png"));
        Files.delete(photos.resolve("even/img-0.png"));
        Result second = run("index", "--model", MODEL, "--index", index, photos.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(11, second.lines().getFirst().get("unchanged").asInt());
        assertEquals(1, second.lines().getFirst().get("removed").asInt());

        Path query = photos.resolve("odd/img-3.png");
        for (boolean exact : List.of(true, false)) {
            Result search = exact
                    ? run("search", "--model", MODEL, "--index", index, "--image", query.toString(), "--top", "4", "--exact")
                    : run("search", "--model", MODEL, "--index", index, "--image", query.toString(), "--top", "4");
            assertEquals(0, search.exitCode(), search.err());
            assertEquals(4, search.lines().size());
            assertEquals(query.toAbsolutePath().toString(), search.lines().getFirst().get("path").asText());
            for (int i = 1; i < 4; i++) {
                assertTrue(search.lines().get(i - 1).get("score").asDouble()
                        >= search.lines().get(i).get("score").asDouble());
            }
        }
        Result text = run("search", "--model", MODEL, "--index", index, "a photo of noise");
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(10, text.lines().size());
    }

    @Test
    void searchWithAnotherModelIsRefusedNamingTheIndexModel() throws IOException {
        writeImage(root.resolve("photos/one.png"), 1);
        String index = root.resolve("index").toString();
        assertEquals(0, run("index", "--model", MODEL, "--index", index, root.resolve("photos").toString()).exitCode());

        // The same weights in another folder are another model as far as the index knows.
        Path otherModel = root.resolve("other-model");
        Files.createDirectories(otherModel);
        try (var files = Files.list(Path.of(MODEL))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, otherModel.resolve(file.getFileName()));
            }
        }

        Result refused = run("search", "--model", otherModel.toString(), "--index", index, "cat");

        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().startsWith("error: Index "), refused.err());
        assertTrue(refused.err().contains("was built with model " + Path.of(MODEL).toAbsolutePath().normalize()),
                refused.err());
    }
}
