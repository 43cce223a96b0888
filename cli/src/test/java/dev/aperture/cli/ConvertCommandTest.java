package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.convert.ConversionListener.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aperture convert} on the clip-tiny PyTorch checkpoints: one JSON line out, exit codes, progress lines. */
class ConvertCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static String layout(String name) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "checkpoints", "clip-tiny-bin", name)
                .toString();
    }

    /** The bytes of clip-tiny's tensors, as the sharded layout's index records them. */
    private static long tensorBytesOfClipTiny() throws IOException {
        return JSON.readTree(Path.of(layout("sharded"), "pytorch_model.bin.index.json").toFile())
                .get("metadata").get("total_size").asLong();
    }

    @Test
    void convertsAPytorchFolderAndPrintsOneJsonLine() throws IOException {
        Path out = dir.resolve("out");
        Result result = run("convert", layout("zip"), "--out", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err(), "a 10 MB conversion shows no progress");
        assertEquals(1, result.out().strip().lines().count(), result.out());
        JsonNode line = JSON.readTree(result.out());
        assertEquals(out.toString(), line.get("out").asText());
        assertEquals("[\"model.safetensors\"]", line.get("files").toString());
        assertTrue(line.get("copied").toString().contains("\"tokenizer.json\""), line.toString());
        assertEquals(78, line.get("tensors").asInt());
        assertEquals(tensorBytesOfClipTiny(), line.get("bytes").asLong());
        assertEquals("keep", line.get("dtype").asText());
        assertTrue(line.get("source").asText().endsWith("pytorch_model.bin"), line.toString());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }

    @Test
    void castsAndShardsAsAsked() throws IOException {
        Path out = dir.resolve("out");
        Result result = run("convert", layout("sharded"), "--out", out.toString(), "--dtype", "bf16",
                "--max-shard-size", "1MB");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode line = JSON.readTree(result.out());
        assertEquals("bf16", line.get("dtype").asText());
        JsonNode files = line.get("files");
        assertTrue(files.size() > 2, files.toString());
        assertEquals("model.safetensors.index.json", files.get(files.size() - 1).asText());
        for (JsonNode file : files) {
            assertTrue(Files.isRegularFile(out.resolve(file.asText())), file.asText());
        }
    }

    @Test
    void refusesANonEmptyOutFolderOnOneLineWithExitCodeOne() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("keep-me.txt"), "mine");
        Result result = run("convert", layout("zip"), "--out", out.toString());
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("error: ") && result.err().contains(out.toString())
                && result.err().contains("--force"), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertEquals(List.of("keep-me.txt"), List.of(out.toFile().list()));
    }

    @Test
    void forceWritesIntoANonEmptyFolder() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("keep-me.txt"), "mine");
        Result result = run("convert", layout("legacy"), "--out", out.toString(), "--force", "--quiet");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("keep-me.txt")));
    }

    @Test
    void rejectsAnUnknownDtypeWithUsageAndExitCodeTwo() {
        Result result = run("convert", layout("zip"), "--out", dir.resolve("out").toString(), "--dtype", "fp8");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("'fp8'") && result.err().contains("keep, f32, f16, bf16"), result.err());
        assertTrue(result.err().contains("Usage: aperture convert"), result.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void rejectsAMalformedMaxShardSizeWithExitCodeTwo() {
        Result result = run("convert", layout("zip"), "--out", dir.resolve("out").toString(),
                "--max-shard-size", "1.5GB");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("'1.5GB'"), result.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void requiresAnOutFolder() {
        Result result = run("convert", layout("zip"));
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--out"), result.err());
    }

    @Test
    void progressIsShownOnlyForLargeConversionsATenthAtATime() {
        StringWriter err = new StringWriter();
        ConvertProgress progress = new ConvertProgress(new PrintWriter(err));
        long total = ConvertProgress.MIN_BYTES * 2;
        for (int i = 1; i <= 100; i++) {
            progress.progress(Phase.WRITING, i, 100, total * i / 100, total);
        }
        progress.progress(Phase.VERIFYING, 100, 100, total, total);
        List<String> lines = err.toString().lines().toList();
        assertEquals(11, lines.size(), err.toString());
        assertEquals("convert: writing 10/100 tensors, 19.1 MiB/190.7 MiB", lines.getFirst());
        assertEquals("convert: verifying 100/100 tensors, 190.7 MiB/190.7 MiB", lines.getLast());

        StringWriter small = new StringWriter();
        new ConvertProgress(new PrintWriter(small)).progress(Phase.WRITING, 1, 1, 1_000, 1_000);
        assertEquals("", small.toString());
    }
}
