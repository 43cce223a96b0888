package dev.aperture.backend.cpu;

import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights larger than the JDK's direct-memory limit ({@code -XX:MaxDirectMemorySize}, which caps the native memory
 * the panels live in) fail with a {@link ResourceLimitException} naming the tensor and the flag, not with a bare
 * OutOfMemoryError. Run in a child JVM started with a 1 MiB limit, so this JVM's own limit is untouched.
 */
class NativeMemoryLimitTest {
    @Test
    void weightsOverTheDirectMemoryLimitFailNamingTheTensorAndTheFlag() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell which java runs this test"));
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:MaxDirectMemorySize=1m",
                "-cp", System.getProperty("java.class.path"), PrepareFourMegabytes.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains(ResourceLimitException.class.getName()), output);
        assertTrue(output.contains("'big.weight' [1024, 1024]"), output);
        assertTrue(output.contains("-XX:MaxDirectMemorySize"), output);
    }

    /** Prepares a 1024 x 1024 f32 weight (4 MiB of panels) and prints what that threw; exits 3 if nothing. */
    public static final class PrepareFourMegabytes {
        public static void main(String[] args) {
            float[] values = new float[1024 * 1024];
            TensorView weight = new TensorView("big.weight", DType.F32, new long[] {1024, 1024},
                    MemorySegment.ofArray(values));
            try (CpuBackend backend = new CpuBackend(1)) {
                backend.prepareLinear(weight, null);
                System.exit(3);
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
