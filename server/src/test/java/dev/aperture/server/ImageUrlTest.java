package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --allow-image-urls} against a loopback image host (the JDK's HTTP server): a fetched image embeds exactly as
 * the same bytes sent inline, and the size and time limits refuse an oversize image, a host slow to answer and a
 * host that answers at once but trickles the body.
 */
class ImageUrlTest {
    private static final int MAX_IMAGE_BYTES = 4096;
    private static final Duration FETCH_TIMEOUT = Duration.ofMillis(700);
    private static final long SLOW_MILLIS = 4000;

    private static HttpServer images;
    private static ServerFixture fixture;
    private static byte[] image;

    @BeforeAll
    static void start() throws IOException {
        image = ServerFixture.images().get(1);   // 150 bytes, well under the limit
        images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        images.createContext("/image.png", exchange -> respond(exchange, image, 0));
        images.createContext("/oversize.png", exchange -> respond(exchange, new byte[MAX_IMAGE_BYTES * 4], 0));
        images.createContext("/slow-to-answer.png", exchange -> {
            sleep(SLOW_MILLIS);
            respond(exchange, image, 0);
        });
        images.createContext("/slow-body.png", exchange -> respond(exchange, image, SLOW_MILLIS / image.length));
        images.start();
        fixture = ServerFixture.start(ServerOptions.defaults()
                .withImageUrls(true, MAX_IMAGE_BYTES, FETCH_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        fixture.close();
        images.stop(0);
    }

    /** Sends {@code body}, pausing {@code millisPerByte} after each byte once the headers are out. */
    private static void respond(HttpExchange exchange, byte[] body, long millisPerByte) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            for (byte b : body) {
                out.write(b);
                if (millisPerByte > 0) {
                    out.flush();
                    sleep(millisPerByte);
                }
            }
        } catch (IOException clientGone) {
            // The server under test gave up on this image, as it should.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpResponse<String> embedUrl(String path) {
        var request = ServerFixture.object().put("model", "clip");
        request.putArray("input").addObject().put("image", "http://127.0.0.1:" + images.getAddress().getPort() + path);
        return fixture.post("/v1/embeddings", request);
    }

    @Test
    void aFetchedImageEmbedsLikeTheSameBytesInline() {
        HttpResponse<String> fetched = embedUrl("/image.png");
        assertEquals(200, fetched.statusCode(), fetched.body());
        var inline = ServerFixture.object().put("model", "clip");
        inline.putArray("input").add(ServerFixture.dataUrl(image));
        HttpResponse<String> sent = fixture.post("/v1/embeddings", inline);
        assertEquals(200, sent.statusCode(), sent.body());
        assertArrayEquals(ServerFixture.embeddings(ServerFixture.json(sent))[0],
                ServerFixture.embeddings(ServerFixture.json(fetched))[0]);
    }

    @Test
    void anImageOverTheSizeLimitIs413() {
        HttpResponse<String> response = embedUrl("/oversize.png");
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("input[0].image", ServerFixture.json(response).get("error").get("param").asText());
    }

    @Test
    void aHostSlowToAnswerIsRefusedWithinTheTimeLimit() {
        assertTimedOut("/slow-to-answer.png");
    }

    @Test
    void aHostThatTricklesTheBodyIsRefusedWithinTheTimeLimit() {
        assertTimedOut("/slow-body.png");
    }

    private static void assertTimedOut(String path) {
        long start = System.nanoTime();
        HttpResponse<String> response = embedUrl(path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = ServerFixture.json(response).get("error");
        assertEquals("input[0].image", error.get("param").asText());
        assertTrue(error.get("message").asText().contains("took over"), error.toString());
        assertTrue(millis < SLOW_MILLIS / 2, "refused after " + millis + " ms, the limit being " + FETCH_TIMEOUT);
    }
}
