package dev.aperture.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code close()} while requests are in flight: each finishes with its embeddings, or a clean 503; none is lost. */
class GracefulShutdownTest {

    @Test
    void requestsInFlightFinishAndLaterOnesGet503() throws Exception {
        ServerFixture fixture = ServerFixture.start(ServerOptions.defaults());
        ObjectNode request = ServerFixture.object().put("model", "minilm");
        ArrayNode input = request.putArray("input");
        for (int i = 0; i < 64; i++) {
            input.add("sentence " + i + " long enough to take the model a moment ".repeat(4));
        }
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", request)));
        }
        // Close once the first batch has run: the other requests are then queued or running.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fixture.get("/metrics").body().contains("aperture_batch_inputs_count{kind=\"text\",model=\"minilm\"}")
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        fixture.close();
        int finished = 0;
        for (CompletableFuture<HttpResponse<String>> pending : inFlight) {
            HttpResponse<String> response = pending.get(60, TimeUnit.SECONDS);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.body());
            if (response.statusCode() == 200) {
                assertEquals(64, ServerFixture.json(response).get("data").size());
                finished++;
            } else {
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
            }
        }
        assertTrue(finished >= 1, "no request in flight finished");
    }
}
