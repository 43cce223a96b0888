package dev.aperture.server;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over HTTP, a model's queue full: the request that does not fit gets 503 with Retry-After at once, the requests
 * already taken finish, and the server takes new work again once the queue has room.
 */
@Tag("slow")
class QueueFullTest {
    private static final int QUEUE_INPUTS = 64;
    private static final String QUEUE = "aperture_queue_inputs{kind=\"text\",model=\"minilm\"}";
    private static final String BATCHES = "aperture_batch_inputs_count{kind=\"text\",model=\"minilm\"}";

    @Test
    void aRequestBeyondAFullQueueGets503WithRetryAfterAndTheServerRecovers() throws Exception {
        ServerOptions options = ServerOptions.defaults().withRequestLimits(ServerOptions.DEFAULT_MAX_BODY_BYTES,
                QUEUE_INPUTS).withBatching(QUEUE_INPUTS, Duration.ofMillis(5), QUEUE_INPUTS);
        try (ServerFixture fixture = ServerFixture.start(options)) {
            var full = ServerFixture.slowMiniLmRequest(QUEUE_INPUTS);
            // The first request runs (it left the queue), the second then fills the queue behind it.
            CompletableFuture<HttpResponse<String>> running =
                    CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", full));
            fixture.awaitMetric(BATCHES, 1);
            CompletableFuture<HttpResponse<String>> queued =
                    CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", full));
            fixture.awaitMetric(QUEUE, QUEUE_INPUTS);

            var oneMore = ServerFixture.object().put("model", "minilm").put("input", "one more");
            HttpResponse<String> refused = fixture.post("/v1/embeddings", oneMore);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("queue_full", ServerFixture.json(refused).get("error").get("code").asText());
            assertTrue(!running.isDone() || !queued.isDone(), "the refusal came while the queue was full");

            for (var pending : List.of(running, queued)) {
                HttpResponse<String> response = pending.get(120, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                assertEquals(QUEUE_INPUTS, ServerFixture.json(response).get("data").size());
            }
            assertEquals(0, fixture.metric(QUEUE));
            HttpResponse<String> recovered = fixture.post("/v1/embeddings", oneMore);
            assertEquals(200, recovered.statusCode(), recovered.body());
            assertEquals(1, fixture.metric("aperture_requests_rejected_total{model=\"minilm\",reason=\"queue_full\"}"));
        }
    }
}
