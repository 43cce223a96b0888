package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.server.ApertureServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aperture serve} on the tiny CLIP: the bound address on stderr as JSON, then requests against it. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servePrintsItsAddressAsJsonAndAnswersRequests() throws Exception {
        Path clip = Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny");
        StringWriter err = new StringWriter();
        List<HttpResponse<String>> responses = new ArrayList<>();
        ServeCommand command = new ServeCommand(server -> {
            try {
                responses.add(send(server, "/health", null));
                responses.add(send(server, "/v1/embeddings", "{\"model\": \"tiny\", \"input\": [\"a cat\", \"a dog\"]}"));
            } finally {
                server.close();
            }
        });
        CommandLine commandLine = ErrorReporting.configure(new CommandLine(command));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("--model", clip + "=tiny", "--port", "0", "--threads", "1", "--offline",
                "--quiet");
        assertEquals(0, exitCode, err.toString());

        String[] lines = err.toString().strip().split("\n");
        JsonNode listening = JSON.readTree(firstLineWith(lines, "\"listening\""));
        assertEquals("127.0.0.1", listening.get("host").asText());
        assertTrue(listening.get("port").asInt() > 0);
        assertEquals(List.of("tiny"), JSON.readTree(firstLineWith(lines, "\"ready\"")).get("models")
                .valueStream().map(JsonNode::asText).toList());
        assertEquals(200, responses.get(0).statusCode());
        assertEquals(200, responses.get(1).statusCode(), responses.get(1).body());
        assertEquals(2, JSON.readTree(responses.get(1).body()).get("data").size());
    }

    private static String firstLineWith(String[] lines, String text) {
        for (String line : lines) {
            if (line.startsWith("{") && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no line with " + text + " in " + String.join("\n", lines));
    }

    private static HttpResponse<String> send(ApertureServer server, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        request = body == null ? request.GET()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
