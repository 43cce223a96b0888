package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.ImageTextModel;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over HTTP, a request with an undecodable image and a good request batched together: the batch fails, each request
 * is rerun alone, the good one gets exactly the vectors it gets alone and the bad one a 400 naming its item.
 */
class BadImageInBatchTest {
    private static final String REQUESTS_PER_BATCH = "aperture_batch_requests_max{kind=\"image\",model=\"clip\"}";

    @Test
    void theGoodRequestGetsItsVectorsAndTheBadOneA400NamingTheItem() throws Exception {
        List<byte[]> images = ServerFixture.images();
        float[] expected;
        try (ImageTextModel clip = ServerFixture.directClip()) {
            expected = clip.embedImages(List.of(ServerFixture.imageInput(images.get(0))))[0];
        }
        // A batch waits up to 2 s for more requests after its first: time for both to land in it.
        ServerOptions options = ServerOptions.defaults().withBatching(ServerOptions.DEFAULT_MAX_BATCH,
                Duration.ofSeconds(2), ServerOptions.DEFAULT_MAX_QUEUED_INPUTS);
        try (ServerFixture fixture = ServerFixture.start(options)) {
            var good = ServerFixture.object().put("model", "clip");
            good.putArray("input").add(ServerFixture.dataUrl(images.get(0)));
            var bad = ServerFixture.object().put("model", "clip");
            // Valid base64 that is no image: it passes the route and fails only when the batch decodes it.
            bad.putArray("input").add(ServerFixture.dataUrl(images.get(1)))
                    .add(ServerFixture.dataUrl("not an image at all".getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<HttpResponse<String>> goodResponse =
                    CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", good));
            CompletableFuture<HttpResponse<String>> badResponse =
                    CompletableFuture.supplyAsync(() -> fixture.post("/v1/embeddings", bad));

            HttpResponse<String> served = goodResponse.get();
            assertEquals(200, served.statusCode(), served.body());
            assertArrayEquals(expected, ServerFixture.embeddings(ServerFixture.json(served))[0]);
            HttpResponse<String> refused = badResponse.get();
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode error = ServerFixture.json(refused).get("error");
            assertTrue(error.get("message").asText().contains("input[1]"), error.toString());
            assertEquals(2, fixture.metric(REQUESTS_PER_BATCH), "the two requests shared a batch");
        }
    }
}
