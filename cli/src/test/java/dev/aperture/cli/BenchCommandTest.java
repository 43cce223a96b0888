package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench} on tiny models (the figures themselves mean nothing here; only their presence and sanity). */
@Tag("slow")
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void jsonReportsEveryStageWithOrderedPercentilesAndPeakMemory() throws IOException {
        Result result = run("bench", "--random", "tiny", "--batch", "2", "--iterations", "3", "--warmup", "1",
                "--threads", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals("synthetic tiny (F32, in memory)", report.get("model").asText());
        assertEquals("clip", report.get("family").asText());
        assertEquals(1, report.get("threads").asInt());
        JsonNode stages = report.get("stages");
        assertEquals(4, stages.size());
        assertEquals("image tower", stages.get(0).get("stage").asText());
        assertEquals("text tower, 8 tokens", stages.get(1).get("stage").asText());
        assertEquals("text tower, 77 tokens", stages.get(2).get("stage").asText());
        assertEquals("classify 1 image, 10 labels", stages.get(3).get("stage").asText());
        for (JsonNode stage : stages) {
            double min = stage.get("minMs").asDouble();
            assertTrue(min > 0, stage.toString());
            assertTrue(min <= stage.get("p50Ms").asDouble(), stage.toString());
            assertTrue(stage.get("p50Ms").asDouble() <= stage.get("p90Ms").asDouble(), stage.toString());
            assertTrue(stage.get("p90Ms").asDouble() <= stage.get("p99Ms").asDouble(), stage.toString());
            double expectedThroughput = stage.get("batch").asInt() * 1000.0 / stage.get("meanMs").asDouble();
            assertEquals(expectedThroughput, stage.get("throughput").asDouble(), expectedThroughput * 1e-9);
        }
        assertEquals(2, stages.get(0).get("batch").asInt());
        assertEquals(1, stages.get(3).get("batch").asInt());
        assertTrue(report.get("peakRssBytes").asLong() > 1 << 20, report.toString());
        assertTrue(result.err().contains("bench: image tower"), result.err());
    }

    /** The real ViT-B/32 dimensions (151M generated parameters): a few seconds. */
    @Test
    void runsTheFullSizeVitB32Once() throws IOException {
        Result result = run("bench", "--random", "vit-b-32", "--iterations", "1", "--warmup", "0", "--labels", "2",
                "--threads", "2", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals(4, report.get("stages").size());
        assertTrue(report.get("peakRssBytes").asLong() > 600L << 20, "151M float32 weights are resident: " + report);
    }

    /** SigLIP's text stage is its one real input shape: a short prompt padded to max_length (16 in the tiny one). */
    @Test
    void tinySiglipReportsItsFamilyAndPaddedTextStage() throws IOException {
        Result result = run("bench", "--random", "tiny-siglip", "--batch", "2", "--iterations", "2", "--warmup", "1",
                "--threads", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals("synthetic tiny-siglip (F32, in memory)", report.get("model").asText());
        assertEquals("siglip", report.get("family").asText());
        JsonNode stages = report.get("stages");
        assertEquals(3, stages.size(), stages.toString());
        assertEquals("image tower", stages.get(0).get("stage").asText());
        assertEquals("text tower, 16 tokens (padded)", stages.get(1).get("stage").asText());
        assertEquals("classify 1 image, 10 labels", stages.get(2).get("stage").asText());
        assertEquals(2, stages.get(1).get("batch").asInt());
        for (JsonNode stage : stages) {
            assertTrue(stage.get("minMs").asDouble() > 0, stage.toString());
        }
    }

    /** SigLIP-base's real dimensions (203M generated parameters): texts are 64 padded tokens. */
    @Test
    void runsTheFullSizeSiglipBaseOnce() throws IOException {
        Result result = run("bench", "--random", "siglip-base-16-224", "--iterations", "1", "--warmup", "0",
                "--labels", "2", "--threads", "2", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals("text tower, 64 tokens (padded)", report.get("stages").get(1).get("stage").asText());
        assertTrue(report.get("peakRssBytes").asLong() > 800L << 20, "203M float32 weights are resident: " + report);
    }

    @Test
    void tablePrintsOneRowPerStageAndPeakMemory() {
        Result result = run("bench", "--random", "tiny", "--iterations", "1", "--warmup", "0", "--threads", "1");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(7, lines.length, result.out());
        assertTrue(lines[1].startsWith("stage") && lines[1].contains("p99 ms"), lines[1]);
        assertTrue(lines[2].startsWith("image tower") && lines[2].endsWith("images/s"), lines[2]);
        assertTrue(lines[6].contains("peak RSS") && lines[6].contains("MiB"), lines[6]);
    }

    @Test
    void halfPrecisionFileIsWrittenLoadedAndTimed() throws IOException {
        Result result = run("bench", "--random", "tiny", "--dtype", "f16", "--iterations", "1", "--warmup", "0",
                "--threads", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("synthetic tiny (f16 file)", JSON.readTree(result.out()).get("model").asText());
    }

    @Test
    void siglipHalfPrecisionFileIsLoadedAsSiglip() throws IOException {
        Result result = run("bench", "--random", "tiny-siglip", "--dtype", "bf16", "--iterations", "1", "--warmup",
                "0", "--threads", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals("synthetic tiny-siglip (bf16 file)", report.get("model").asText());
        assertEquals("siglip", report.get("family").asText());
    }

    @Test
    void benchOfAModelFolder() throws IOException {
        Path tiny = Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny");
        Result result = run("bench", "--model", tiny.toString(), "--iterations", "1", "--warmup", "0",
                "--threads", "1", "--labels", "3", "--json");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("classify 1 image, 3 labels", JSON.readTree(result.out()).get("stages").get(3).get("stage").asText());
    }

    @Test
    void benchOfASiglipModelFolderTimesItsPaddedTexts() throws IOException {
        Path tiny = Path.of(System.getProperty("aperture.testdata", "../testdata"), "siglip-tiny");
        Result result = run("bench", "--model", tiny.toString(), "--iterations", "1", "--warmup", "0",
                "--threads", "1", "--labels", "3");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(6, lines.length, result.out());
        assertTrue(lines[0].contains("| family siglip |"), lines[0]);
        assertTrue(lines[3].startsWith("text tower, 16 tokens (padded)"), lines[3]);
        assertTrue(lines[4].startsWith("classify 1 image, 3 labels"), lines[4]);
    }

    @Test
    void imagesAddsAStageEmbeddingBatchesOfTheFolderFiles() throws IOException {
        Path images = Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", "images");
        Result result = run("bench", "--random", "tiny", "--images", images.toString(), "--batch", "4",
                "--iterations", "3", "--warmup", "1", "--threads", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode stages = JSON.readTree(result.out()).get("stages");
        assertEquals(5, stages.size());
        JsonNode files = stages.get(1);
        assertEquals("embed image files", files.get("stage").asText());
        assertEquals(4, files.get("batch").asInt());
        assertEquals("images/s", files.get("unit").asText());
        assertTrue(files.get("minMs").asDouble() > 0 && files.get("minMs").asDouble() <= files.get("p50Ms").asDouble(),
                files.toString());
    }

    /** The files are really read and decoded: a corrupt one fails the stage, named. */
    @Test
    void imagesWithACorruptFileFailsNamingIt(@TempDir Path folder) throws IOException {
        Files.copy(Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny", "images",
                "gradient_64x64_rgb.png"), folder.resolve("good.png"));
        Files.write(folder.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Result result = run("bench", "--random", "tiny", "--images", folder.toString(), "--batch", "2",
                "--iterations", "1", "--warmup", "0", "--threads", "1");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains("broken.png"), result.err());
    }

    @Test
    void imagesFromAFolderWithoutImagesIsBadInput(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Result result = run("bench", "--random", "tiny", "--images", folder.toString(), "--iterations", "1");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains(folder + ": no image files"), result.err());
        assertTrue(!result.err().contains("building synthetic"), "refused before building the model: " + result.err());
    }

    @Test
    void rejectsModelTogetherWithRandom() {
        Result result = run("bench", "--random", "tiny", "--model", "somewhere");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("not both"), result.err());
    }

    @Test
    void rejectsUnknownArchitectureAsBadInput() {
        Result result = run("bench", "--random", "vit-x-99", "--iterations", "1");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("vit-x-99") && result.err().contains("vit-b-16")
                && result.err().contains("siglip-base-16-224"), result.err());
    }

    @Test
    void rejectsZeroIterations() {
        Result result = run("bench", "--random", "tiny", "--iterations", "0");
        assertEquals(2, result.exitCode());
    }
}
