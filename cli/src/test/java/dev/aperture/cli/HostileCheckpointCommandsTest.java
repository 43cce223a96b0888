package dev.aperture.cli;

import dev.aperture.testkit.HostileCheckpoints;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every hostile checkpoint of testdata/checkpoints/hostile/ through the real command line, each run in a JVM of its
 * own capped at a 512 MB heap: {@code inspect FILE} and {@code classify --model FOLDER} (the file as the folder's
 * pytorch_model.bin) exit 1 within 10 s with one {@code error:} line on stderr and no stack trace.
 */
@Tag("slow")
class HostileCheckpointCommandsTest {
    private static final List<String> MODEL_FILES = List.of("config.json", "tokenizer.json", "vocab.json",
            "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json");
    private static final long TIMEOUT_SECONDS = 10;

    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {
    }

    @TestFactory
    List<DynamicTest> inspectAndClassifyRefuseEveryHostileCheckpointInOneLine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (HostileCheckpoints c : HostileCheckpoints.all()) {
            tests.add(DynamicTest.dynamicTest("inspect " + c,
                    () -> assertRefusedInOneLine(c, aperture("inspect", c.file().toString()))));
            tests.add(DynamicTest.dynamicTest("classify " + c, () -> {
                Path image = fixture("clip-tiny/images/gradient_64x64_rgb.png");
                assertRefusedInOneLine(c, aperture("classify", "--model", modelFolderWith(c.file()).toString(),
                        "--labels", "cat,dog", image.toString()));
            }));
        }
        return tests;
    }

    private static void assertRefusedInOneLine(HostileCheckpoints c, Run run) {
        assertEquals(1, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(line -> !line.startsWith("WARNING:")).toList();
        assertEquals(1, lines.size(), "one line on stderr: " + run.err());
        assertTrue(lines.getFirst().startsWith("error: "), run.err());
        assertTrue(c.isExplainedBy(lines.getFirst()), c.messageMentionsAny() + " in: " + run.err());
    }

    /** Runs {@code ./aperture ARGS} as the launcher would, in a fresh JVM with a 512 MB heap. */
    private Run aperture(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aperture " + String.join(" ", args) + " ran past " + TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path modelFolderWith(Path checkpoint) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(checkpoint.getFileName() + ".model"));
        for (String file : MODEL_FILES) {
            Files.copy(fixture("clip-tiny/" + file), folder.resolve(file));
        }
        Files.copy(checkpoint, folder.resolve("pytorch_model.bin"));
        return folder;
    }

    private static Path fixture(String path) {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), path);
    }
}
