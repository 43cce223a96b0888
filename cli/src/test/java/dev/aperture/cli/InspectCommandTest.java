package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.safetensors.ShardedSafeTensorsWriter;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aperture inspect} on the clip-tiny fixture, on a bad file and with bad usage. */
class InspectCommandTest {
    /**
     * clip-tiny's parameter count: its 78 tensors are all F32 and fill the data region, so the count is
     * (file size - 8-byte length field - 8,712-byte header) / 4.
     */
    private static final long CLIP_TINY_PARAMETERS = (9_998_804L - 8 - 8_712) / 4;

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

    private static Path clipTiny(String file) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", file);
    }

    @Test
    void printsATableOfTensorsWithMetadataAndTotals() {
        Result result = run("inspect", clipTiny("model.safetensors").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err());
        assertTrue(result.out().contains("Metadata:   format=pt"), result.out());
        assertTrue(result.out().matches("(?s).*\\nNAME +DTYPE +SHAPE +SIZE\\n.*"), result.out());
        assertTrue(result.out().matches("(?s).*\\ntext_model\\.embeddings\\.token_embedding\\.weight +F32 +\\[49408, 48\\] +9\\.0 MiB\\n.*"),
                result.out());
        assertTrue(result.out().matches("(?s).*\\nlogit_scale +F32 +\\[\\] +4 B\\n.*"), result.out());
        assertTrue(result.out().contains(String.format(java.util.Locale.US, "78 tensors, %,d parameters", CLIP_TINY_PARAMETERS)),
                result.out());
    }

    @Test
    void printsJsonWithEveryTensor() throws IOException {
        Result result = run("inspect", "--json", clipTiny("model.bf16.safetensors").toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode root = new ObjectMapper().readTree(result.out());
        assertEquals(78, root.get("tensorCount").asInt());
        assertEquals(78, root.get("tensors").size());
        assertEquals(CLIP_TINY_PARAMETERS, root.get("parameterCount").asLong());
        assertEquals(CLIP_TINY_PARAMETERS * 2, root.get("totalBytes").asLong());
        assertEquals("pt", root.get("metadata").get("format").asText());
        JsonNode first = root.get("tensors").get(0);
        assertEquals("logit_scale", first.get("name").asText());
        assertEquals("BF16", first.get("dtype").asText());
        assertEquals(0, first.get("shape").size());
        assertEquals(2, first.get("bytes").asLong());
    }

    @Test
    void acceptsAModelFolder() {
        Result result = run("inspect", clipTiny("model.safetensors").getParent().toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("78 tensors"), result.out());
    }

    @Test
    void listsEveryTensorOfAShardedCheckpoint() {
        List<TensorToWrite> tensors = List.of(
                TensorToWrite.ofFloats("a.weight", DType.F32, new long[] {2, 3}, new float[6]),
                TensorToWrite.ofFloats("b.weight", DType.F16, new long[] {4}, new float[4]));
        Path index = ShardedSafeTensorsWriter.write(dir.resolve("sharded"), tensors, Map.of("format", "pt"), 16);
        Result result = run("inspect", index.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("(2 shards)"), result.out());
        assertTrue(result.out().matches("(?s).*\\na\\.weight +F32 +\\[2, 3\\] +24 B\\n.*"), result.out());
        assertTrue(result.out().matches("(?s).*\\nb\\.weight +F16 +\\[4\\] +8 B\\n.*"), result.out());
        assertTrue(result.out().contains("2 tensors, 10 parameters, 32 B"), result.out());
    }

    @Test
    void reportsAMalformedFileOnOneLineWithExitCodeOne() throws IOException {
        Path bad = dir.resolve("broken.safetensors");
        Files.write(bad, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        Result result = run("inspect", bad.toString());
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("error: ") && result.err().contains("broken.safetensors"), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    @Test
    void reportsAMissingFileWithExitCodeOne() {
        Result result = run("inspect", dir.resolve("nothing.safetensors").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("error: ") && result.err().contains("nothing.safetensors"), result.err());
    }

    @Test
    void reportsAMissingArgumentWithUsageAndExitCodeTwo() {
        Result result = run("inspect");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("error: Missing required parameter"), result.err());
        assertTrue(result.err().contains("Usage: aperture inspect"), result.err());
    }

    @Test
    void reportsAnUnknownOptionWithExitCodeTwo() {
        Result result = run("inspect", "--bogus", clipTiny("model.safetensors").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--bogus"), result.err());
    }

    @Test
    void reportsNoSubcommandWithUsageAndExitCodeTwo() {
        Result result = run();
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("inspect"), result.err());
    }
}
