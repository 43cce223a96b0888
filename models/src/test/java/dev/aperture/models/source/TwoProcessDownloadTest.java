package dev.aperture.models.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs downloading the same model into one cache at once: the blob lock (FileChannel.lock on
 * .locks/.../&lt;etag&gt;.lock) lets one download while the other waits and then uses the finished blob.
 */
@Tag("slow")
class TwoProcessDownloadTest {

    @TempDir
    Path cacheDir;

    @Test
    void twoProcessesDownloadingTogetherLeaveOneVerifiedBlob() throws Exception {
        try (FakeHub hub = FakeHub.serving("test-org/clip-tiny", FakeHub.fixture("clip-tiny"),
                ModelSourceDownloadTest.CLIP_FILES.toArray(String[]::new))) {
            hub.cdnDelayMillis = 1_500; // the first download holds the lock long enough for the second to wait
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                        ResolveInAnotherProcess.class.getName(), hub.endpoint().toString(), cacheDir.toString(),
                        "test-org/clip-tiny")
                        .redirectErrorStream(true).start());
            }
            byte[] expected = Files.readAllBytes(FakeHub.fixture("clip-tiny").resolve("model.safetensors"));
            for (Process process : processes) {
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertEquals(0, process.exitValue(), output);
                assertArrayEquals(expected, Files.readAllBytes(Path.of(output).resolve("model.safetensors")));
            }
            assertEquals(1, hub.requests().stream().filter(r -> r.server().equals("cdn")).count());
            try (Stream<Path> blobs = Files.list(cacheDir.resolve("models--test-org--clip-tiny").resolve("blobs"))) {
                assertTrue(blobs.noneMatch(path -> path.toString().endsWith(".incomplete")));
            }
        }
    }

    private static String javaCommand() throws IOException {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell which java runs this test"));
    }
}
