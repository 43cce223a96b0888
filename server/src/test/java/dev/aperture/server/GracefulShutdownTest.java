package dev.aperture.server;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code close()} while requests are in flight: the listener closes first (new connections are refused), a new
 * request on a kept-alive connection gets 503 with Retry-After, and the requests in flight finish with their
 * embeddings; none is lost.
 */
@Tag("slow")
class GracefulShutdownTest {
    private static final String MINILM_BATCHES = "aperture_batch_inputs_count{kind=\"text\",model=\"minilm\"}";

    @Test
    void requestsInFlightFinishAndLaterOnesGet503() throws Exception {
        ServerFixture fixture = ServerFixture.start(ServerOptions.defaults());
        var request = ServerFixture.slowMiniLmRequest(16);
        // One thread per request, so all eight are sent together (the common pool has one thread on two cores).
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", request), clients));
        }
        // Close once the first batch has run: the other requests are then queued, running, or not yet connected.
        fixture.awaitMetric(MINILM_BATCHES, 1);
        fixture.close();
        int finished = 0;
        for (CompletableFuture<HttpResponse<String>> pending : inFlight) {
            HttpResponse<String> response;
            try {
                response = pending.get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // A request whose connection came after the listener closed was never accepted: refused, not lost.
                assertTrue(causedByRefusedConnection(e), "a request failed otherwise than refused: " + e);
                continue;
            }
            assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.body());
            if (response.statusCode() == 200) {
                assertEquals(16, ServerFixture.json(response).get("data").size());
                finished++;
            } else {
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
            }
        }
        clients.shutdown();
        assertTrue(finished >= 1, "no request in flight finished");
    }

    private static boolean causedByRefusedConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theListenerClosesFirstThenTheRequestInFlightFinishes() throws Exception {
        ServerFixture fixture = ServerFixture.start(ServerOptions.defaults());
        String host = fixture.server.host();
        int port = fixture.server.port();
        // 128 long texts: four forward passes of 32, seconds of work, so the request is still running below.
        CompletableFuture<HttpResponse<String>> running =
                CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", ServerFixture.slowMiniLmRequest(128)));
        fixture.awaitMetric(MINILM_BATCHES, 1);
        try (Socket keptAlive = new Socket(host, port)) {
            keptAlive.setSoTimeout(30_000);
            // A connection with one exchange done, as a client's pool keeps it.
            assertTrue(exchange(keptAlive, host).startsWith("HTTP/1.1 200"));
            CompletableFuture<Void> closing = CompletableFuture.runAsync(fixture::close);
            awaitRefused(host, port);
            assertFalse(running.isDone(), "the listener closed while the request was still running");

            // A new request on that connection: refused in OpenAI's shape, the connection closed after it.
            String refused = exchange(keptAlive, host);
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.contains("Retry-After: 1"), refused);
            assertTrue(refused.contains("\"code\":\"shutting_down\""), refused);
            assertEquals(-1, keptAlive.getInputStream().read(), "the connection is closed");

            HttpResponse<String> finished = running.get(120, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
            assertEquals(128, ServerFixture.json(finished).get("data").size());
            closing.get(60, TimeUnit.SECONDS);
        }
    }

    /** Waits until a new TCP connection to the server is refused. */
    private static void awaitRefused(String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(host, port)) {
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                throw new AssertionError("connecting failed otherwise than refused: " + other, other);
            }
        }
        throw new AssertionError("the server still accepted connections 10 s into its shutdown");
    }

    /** Sends {@code GET /health} on the connection; returns the response's head and body. */
    private static String exchange(Socket connection, String host) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = connection.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed before a response: " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
