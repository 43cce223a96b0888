package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.bert.TextEmbedder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 32 concurrent clients × 200 requests of mixed sizes, texts (CLIP, MiniLM) and images (CLIP): no errors, every
 * vector bit-identical to the same inputs embedded alone through the Java API, and batches that merged requests.
 */
@Tag("slow")
class LoadTest {
    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 200;

    @Test
    void concurrentMixedRequestsAllMatchTheJavaApiAndAreBatched() throws Exception {
        List<byte[]> images = ServerFixture.images();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("sentence number " + i + " about " + "cats and dogs ".repeat(i % 5));
        }
        // Every input embedded alone, once, through the Java API: what each response must equal.
        var expectedClipTexts = new ConcurrentHashMap<String, float[]>();
        var expectedMiniLm = new ConcurrentHashMap<String, float[]>();
        List<float[]> expectedImages = new ArrayList<>();
        try (ImageTextModel clip = ServerFixture.directClip(); TextEmbedder miniLm = ServerFixture.directMiniLm()) {
            for (String text : texts) {
                expectedClipTexts.put(text, clip.embedTexts(List.of(text))[0]);
                expectedMiniLm.put(text, miniLm.embed(List.of(text))[0]);
            }
            for (byte[] image : images) {
                expectedImages.add(clip.embedImages(List.<ImageInput>of(ServerFixture.imageInput(image)))[0]);
            }
        }
        try (ServerFixture fixture = ServerFixture.start(ServerOptions.defaults());
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    int checked = 0;
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        int seed = client * REQUESTS_PER_CLIENT + r;
                        int size = 1 + seed % 4;
                        // One request in 32 for MiniLM (a real 22M-parameter model, the slow one), the rest for the tiny CLIP.
                        String model = seed % 32 == 0 ? "minilm" : "clip";
                        boolean withImages = model.equals("clip") && seed % 2 == 0;
                        ObjectNode request = ServerFixture.object().put("model", model);
                        ArrayNode input = request.putArray("input");
                        List<float[]> expected = new ArrayList<>();
                        for (int k = 0; k < size; k++) {
                            if (withImages && k % 2 == 0) {
                                int image = (seed + k) % images.size();
                                input.add(ServerFixture.dataUrl(images.get(image)));
                                expected.add(expectedImages.get(image));
                            } else {
                                String text = texts.get((seed * 7 + k) % texts.size());
                                input.add(text);
                                expected.add((model.equals("clip") ? expectedClipTexts : expectedMiniLm).get(text));
                            }
                        }
                        HttpResponse<String> response = fixture.post("/v1/embeddings", request);
                        assertEquals(200, response.statusCode(), response.body());
                        float[][] served = ServerFixture.embeddings(ServerFixture.json(response));
                        assertEquals(size, served.length);
                        for (int k = 0; k < size; k++) {
                            assertArrayEquals(expected.get(k), served[k], "request " + seed + " input " + k);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, total);

            for (String series : List.of("kind=\"text\",model=\"clip\"", "kind=\"image\",model=\"clip\"",
                    "kind=\"text\",model=\"minilm\"")) {
                assertTrue(fixture.metric("aperture_batch_requests_max{" + series + "}") > 1,
                        "no batch merged requests for " + series);
            }
            assertTrue(fixture.get("/metrics").body().contains(
                    "aperture_http_requests_seconds_count{model=\"clip\",route=\"/v1/embeddings\",status=\"200\"}"));
        }
    }
}
