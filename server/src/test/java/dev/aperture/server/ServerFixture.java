package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.AllMiniLmL6V2;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.source.HubOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The server tests' fixtures, loaded by one helper: the tiny CLIP and SigLIP in testdata/ and all-MiniLM-L6-v2 (the
 * Maven Central jar on the test class path, extracted by {@link AllMiniLmL6V2}), a server serving them as
 * {@code clip}, {@code siglip} and {@code minilm} on an ephemeral loopback port, and the same models loaded directly
 * through the Java API, to compare against.
 */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ModelOptions MODEL_OPTIONS = ModelOptions.defaults().withThreads(2);

    final ApertureServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixture(ApertureServer server) {
        this.server = server;
    }

    /** A ready server with the three models, on an ephemeral port, with these options. */
    static ServerFixture start(ServerOptions options) {
        ApertureServer server = ApertureServer.start(options.withAddress("127.0.0.1", 0));
        HubOptions hub = HubOptions.fromEnvironment().withOffline(true).quiet();
        server.load(new ModelSpec(clipTiny().toString(), "clip"), MODEL_OPTIONS, hub);
        server.load(new ModelSpec(siglipTiny().toString(), "siglip"), MODEL_OPTIONS, hub);
        server.load(new ModelSpec(miniLm().onnx().toString(), "minilm"), MODEL_OPTIONS, hub);
        server.markReady();
        return new ServerFixture(server);
    }

    static Path testdata() {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"));
    }

    static Path clipTiny() {
        return testdata().resolve("clip-tiny");
    }

    static Path siglipTiny() {
        return testdata().resolve("siglip-tiny");
    }

    /** MiniLM's ONNX file and tokenizer.json, extracted once into target/ (not the user's ~/.cache). */
    static synchronized AllMiniLmL6V2.OnnxFiles miniLm() {
        System.setProperty("aperture.cache", Path.of("target", "aperture-cache").toAbsolutePath().toString());
        return AllMiniLmL6V2.resolve(System.err::println);
    }

    static ImageTextModel directClip() {
        return ImageTextModel.load(clipTiny().toString(), MODEL_OPTIONS, HubOptions.fromEnvironment().quiet());
    }

    static TextEmbedder directMiniLm() {
        return TextEmbedder.load(miniLm().onnx(), null, MODEL_OPTIONS);
    }

    /** The fixture images of clip-tiny, as encoded bytes. */
    static List<byte[]> images() {
        try (var files = Files.list(clipTiny().resolve("images"))) {
            return files.sorted().map(ServerFixture::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageInput imageInput(byte[] encoded) {
        return ImageInput.of(encoded, "test image");
    }

    static String dataUrl(byte[] encoded) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(encoded);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** POSTs a JSON body; returns the response with its body as text. */
    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> post(String path, JsonNode body, String... headers) {
        return post(path, body.toString(), headers);
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The {@code data[i].embedding} arrays of an embeddings response, as floats. */
    static float[][] embeddings(JsonNode response) {
        JsonNode data = response.get("data");
        float[][] vectors = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode values = data.get(i).get("embedding");
            vectors[i] = new float[values.size()];
            for (int d = 0; d < values.size(); d++) {
                vectors[i][d] = values.get(d).floatValue();
            }
        }
        return vectors;
    }

    /**
     * The value of one series in {@code /metrics}, named as Prometheus prints it with its tags in alphabetical order
     * ({@code aperture_queue_inputs{kind="text",model="minilm"}}); NaN when the series does not exist yet.
     */
    double metric(String series) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** Waits, up to 30 s, until the series reaches {@code atLeast}; fails the test otherwise. */
    void awaitMetric(String series, double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(metric(series) >= atLeast)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(series + " did not reach " + atLeast + " in 30 s; it is " + metric(series));
            }
            Thread.sleep(5);
        }
    }

    /**
     * A MiniLM embeddings request of {@code texts} long sentences (about 150 tokens each): one that keeps the model
     * busy for a while (seconds on two cores), for tests that need a request still in flight.
     */
    static ObjectNode slowMiniLmRequest(int texts) {
        ObjectNode request = object().put("model", "minilm");
        ArrayNode input = request.putArray("input");
        for (int i = 0; i < texts; i++) {
            input.add("sentence " + i + " long enough to take the model a moment ".repeat(15));
        }
        return request;
    }

    @Override
    public void close() {
        server.close();
    }
}
