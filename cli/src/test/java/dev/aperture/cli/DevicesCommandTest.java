package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.backend.gpu.OpenCl;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code aperture devices} lists what OpenCL sees (PoCL in CI); where OpenCL is absent it says why and exits 1.
 */
class DevicesCommandTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void listsEveryDeviceAsJsonLinesOrExplainsWhyNone() throws Exception {
        OpenCl.Availability availability = OpenCl.probe();
        Result result = run("devices", "--json");
        if (!availability.available()) {
            assertEquals(1, result.exitCode());
            assertTrue(result.err().startsWith("error: "), result.err());
            return;
        }
        assertEquals(0, result.exitCode(), result.err());
        JsonNode first = new ObjectMapper().readTree(result.out().strip().split("\n")[0]);
        assertEquals(0, first.get("index").asInt());
        assertFalse(first.get("name").asText().isBlank());
        assertTrue(first.get("computeUnits").asInt() > 0);
        assertTrue(first.get("globalMemoryBytes").asLong() > 0);
        assertTrue(first.get("openClCVersion").asText().startsWith("OpenCL C"));
    }

    @Test
    void printsOneSummaryPerDevice() {
        Result result = run("devices");
        if (OpenCl.probe().available()) {
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.out().startsWith("#0 "), result.out());
            assertTrue(result.out().contains("extensions:"), result.out());
        } else {
            assertEquals(1, result.exitCode());
        }
    }
}
