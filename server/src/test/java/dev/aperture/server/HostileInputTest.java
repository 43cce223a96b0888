package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults and hostile input, each answered with the right status in OpenAI's error shape (or the connection closed),
 * and the server healthy afterwards: after every test a normal request still succeeds.
 */
class HostileInputTest {
    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ServerFixture.start(ServerOptions.defaults().withApiKey("secret")
                .withReadTimeout(Duration.ofMillis(1500)));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @AfterEach
    void serverStillAnswersANormalRequest() {
        assertEquals(200, fixture.get("/health").statusCode());
        HttpResponse<String> response = embed(ServerFixture.object().put("model", "clip").put("input", "a cat"));
        assertEquals(200, response.statusCode(), response.body());
    }

    private static HttpResponse<String> embed(JsonNode request) {
        return fixture.post("/v1/embeddings", request, "Authorization", "Bearer secret");
    }

    /** Asserts the status and OpenAI's error shape; returns the error object. */
    private static JsonNode assertError(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = ServerFixture.json(response).get("error");
        assertTrue(error.get("message").isTextual() && error.has("type") && error.has("param") && error.has("code"),
                response.body());
        return error;
    }

    @Test
    void malformedJsonIsABadRequest() {
        assertError(400, fixture.post("/v1/embeddings", "{\"model\": \"clip\", \"input\": [", "Authorization",
                "Bearer secret"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsABadRequest() {
        assertError(400, fixture.post("/v1/embeddings", "[1, 2]", "Authorization", "Bearer secret"));
    }

    @Test
    void aWronglyTypedItemIsABadRequestNamingItsIndex() {
        ObjectNode request = ServerFixture.object().put("model", "clip");
        request.putArray("input").add("fine").add(42);
        assertEquals("input[1]", assertError(400, embed(request)).get("param").asText());
    }

    @Test
    void aTokenArrayIsABadRequestNamingItsIndex() {
        ObjectNode request = ServerFixture.object().put("model", "minilm");
        request.putArray("input").addArray().add(101).add(102);
        assertEquals("input[0]", assertError(400, embed(request)).get("param").asText());
    }

    @Test
    void aMissingModelFieldIsABadRequestNamingIt() {
        assertEquals("model", assertError(400, embed(ServerFixture.object().put("input", "x"))).get("param").asText());
    }

    @Test
    void anUnknownModelIsNotFound() {
        JsonNode error = assertError(404, embed(ServerFixture.object().put("model", "gpt-5").put("input", "x")));
        assertEquals("model_not_found", error.get("code").asText());
    }

    @Test
    void anUnknownEncodingFormatIsABadRequest() {
        assertError(400, embed(ServerFixture.object().put("model", "clip").put("input", "x")
                .put("encoding_format", "int8")));
    }

    @Test
    void aTenMegabyteBodyIsTooLarge() {
        String text = "a".repeat(10 << 20);
        assertError(413, embed(ServerFixture.object().put("model", "clip").put("input", text)));
    }

    @Test
    void aHundredThousandInputsAreTooMany() {
        ObjectNode request = ServerFixture.object().put("model", "minilm");
        ArrayNode input = request.putArray("input");
        for (int i = 0; i < 100_000; i++) {
            input.add("x");
        }
        assertEquals("input", assertError(413, embed(request)).get("param").asText());
    }

    @Test
    void aDecompressionBombImageIsTooLarge() {
        ObjectNode request = ServerFixture.object().put("model", "clip");
        request.putArray("input").add("a text").add(ServerFixture.dataUrl(pngDeclaring(50_000, 50_000)));
        JsonNode error = assertError(413, embed(request));
        assertTrue(error.get("message").asText().contains("input[1]"), error.toString());
    }

    @Test
    void anUndecodableImageIsABadRequestNamingIt() {
        ObjectNode request = ServerFixture.object().put("model", "clip");
        request.putArray("input").addObject().put("image", "bm90IGFuIGltYWdl");   // "not an image"
        JsonNode error = assertError(400, embed(request));
        assertTrue(error.get("message").asText().contains("input[0]"), error.toString());
    }

    @Test
    void invalidBase64IsABadRequestNamingTheItem() {
        ObjectNode request = ServerFixture.object().put("model", "clip");
        request.putArray("input").addObject().put("image", "***");
        assertEquals("input[0].image", assertError(400, embed(request)).get("param").asText());
    }

    @Test
    void imageUrlsAreRefusedUnlessAllowed() {
        ObjectNode request = ServerFixture.object().put("model", "clip");
        request.putArray("input").addObject().put("image", "http://127.0.0.1:1/cat.png");
        assertTrue(assertError(400, embed(request)).get("message").asText().contains("--allow-image-urls"));
    }

    @Test
    void anImageForATextModelIsABadRequest() {
        ObjectNode request = ServerFixture.object().put("model", "minilm");
        request.putArray("input").add(ServerFixture.dataUrl(ServerFixture.images().get(0)));
        assertEquals("input[0]", assertError(400, embed(request)).get("param").asText());
    }

    @Test
    void aMissingApiKeyIsUnauthorized() {
        HttpResponse<String> response = fixture.post("/v1/embeddings",
                ServerFixture.object().put("model", "clip").put("input", "x"));
        assertEquals("invalid_api_key", assertError(401, response).get("code").asText());
    }

    @Test
    void aWrongApiKeyIsUnauthorized() {
        HttpResponse<String> response = fixture.post("/v1/embeddings",
                ServerFixture.object().put("model", "clip").put("input", "x"), "Authorization", "Bearer secreT");
        assertError(401, response);
        assertError(401, fixture.get("/v1/models", "Authorization", "Basic c2VjcmV0"));
    }

    @Test
    void aClientThatDisconnectsMidBodyLeavesTheServerHealthy() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\": \"clip\", \"in")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    @Test
    void aBodySentSlowerThanTheReadTimeoutIsCutOff() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Then nothing: past the 1.5 s read timeout the server answers (408) or closes the connection.
            long start = System.nanoTime();
            String answer = new String(readUntilClosed(socket.getInputStream()), StandardCharsets.US_ASCII);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis < 9_000, "the server held the stalled connection for " + waitedMillis + " ms");
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408") || answer.startsWith("HTTP/1.1 400"),
                    answer);
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (java.net.SocketException reset) {
            // A reset is a close too.
        }
        return out.toByteArray();
    }

    /** A valid PNG signature and IHDR declaring {@code width × height} RGB pixels, with one tiny IDAT and IEND. */
    static byte[] pngDeclaring(int width, int height) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(header);
            fields.writeInt(width);
            fields.writeInt(height);
            fields.write(new byte[] {8, 2, 0, 0, 0});   // 8-bit RGB, deflate, no filter, no interlace
            chunk(png, "IHDR", header.toByteArray());
            chunk(png, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
            chunk(png, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
