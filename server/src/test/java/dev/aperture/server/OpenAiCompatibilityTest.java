package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.bert.TextEmbedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/embeddings} and {@code /v1/models} against a real OpenAI client (langchain4j's
 * {@code OpenAiEmbeddingModel}) and by hand: every vector bit-identical to the Java API's.
 */
class OpenAiCompatibilityTest {
    private static ServerFixture fixture;
    private static TextEmbedder miniLm;
    private static ImageTextModel clip;

    @BeforeAll
    static void start() {
        fixture = ServerFixture.start(ServerOptions.defaults().withApiKey("test-key"));
        miniLm = ServerFixture.directMiniLm();
        clip = ServerFixture.directClip();
    }

    @AfterAll
    static void stop() {
        fixture.close();
        miniLm.close();
        clip.close();
    }

    private static OpenAiEmbeddingModel openAiClient(String model, String encodingFormat) {
        return OpenAiEmbeddingModel.builder().baseUrl(fixture.baseUrl() + "/v1").apiKey("test-key").modelName(model)
                .encodingFormat(encodingFormat).build();
    }

    @Test
    void openAiClientGetsTheJavaApisMiniLmEmbeddings() {
        List<String> texts = List.of("Hello world", "The quick brown fox jumps over the lazy dog.",
                "Caf\u00e9 au lait, s'il vous pla\u00eet");
        List<Embedding> served = openAiClient("minilm", null)
                .embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] direct = miniLm.embed(texts);
        assertEquals(texts.size(), served.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(direct[i], served.get(i).vector(), "text " + i);
        }
    }

    @Test
    void openAiClientGetsTheJavaApisClipTextEmbeddingsInBase64() {
        List<String> texts = List.of("a photo of a cat", "a photo of a dog");
        List<Embedding> served = openAiClient("clip", "base64")
                .embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] direct = clip.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(direct[i], served.get(i).vector(), "text " + i);
        }
    }

    @Test
    void responseHasOpenAisShapeAndUsage() {
        ObjectNode request = ServerFixture.object().put("model", "minilm").put("input", "Hello world");
        HttpResponse<String> response = fixture.post("/v1/embeddings", request, "Authorization", "Bearer test-key");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = ServerFixture.json(response);
        assertEquals("list", body.get("object").asText());
        assertEquals("minilm", body.get("model").asText());
        assertEquals("embedding", body.get("data").get(0).get("object").asText());
        assertEquals(0, body.get("data").get(0).get("index").asInt());
        assertEquals(384, body.get("data").get(0).get("embedding").size());
        // [CLS] hello world [SEP]
        assertEquals(4, body.get("usage").get("prompt_tokens").asInt());
        assertEquals(4, body.get("usage").get("total_tokens").asInt());
    }

    @Test
    void imagesAndTextsInOneRequestKeepTheirOrderAndMatchTheJavaApi() {
        List<byte[]> images = ServerFixture.images();
        ObjectNode request = ServerFixture.object().put("model", "clip");
        var input = request.putArray("input");
        input.add(ServerFixture.dataUrl(images.get(0)));
        input.add("a photo of a cat");
        input.addObject().put("image", Base64.getEncoder().encodeToString(images.get(1)));
        request.put("encoding_format", "base64");
        HttpResponse<String> response = fixture.post("/v1/embeddings", request, "Authorization", "Bearer test-key");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode data = ServerFixture.json(response).get("data");
        float[][] directImages = clip.embedImages(List.of(ServerFixture.imageInput(images.get(0)),
                ServerFixture.imageInput(images.get(1))));
        assertArrayEquals(directImages[0], decodeBase64(data.get(0).get("embedding").asText()));
        assertArrayEquals(clip.embedTexts(List.of("a photo of a cat"))[0],
                decodeBase64(data.get(1).get("embedding").asText()));
        assertArrayEquals(directImages[1], decodeBase64(data.get(2).get("embedding").asText()));
    }

    @Test
    void modelsListsEveryServedModelInOpenAisShape() {
        JsonNode body = ServerFixture.json(fixture.get("/v1/models", "Authorization", "Bearer test-key"));
        assertEquals("list", body.get("object").asText());
        List<String> ids = body.get("data").valueStream().map(model -> model.get("id").asText()).toList();
        assertEquals(List.of("clip", "siglip", "minilm"), ids);
        assertEquals("model", body.get("data").get(0).get("object").asText());
    }

    @Test
    void healthIsOkOnceModelsAreLoaded() {
        HttpResponse<String> response = fixture.get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("ready", ServerFixture.json(response).get("status").asText());
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        fixture.post("/v1/embeddings", ServerFixture.object().put("model", "minilm").put("input", "x"),
                "Authorization", "Bearer test-key");
        HttpResponse<String> response = fixture.get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(response.body().contains("aperture_http_requests_seconds_count{model=\"minilm\",route=\"/v1/embeddings\",status=\"200\"}"),
                response.body());
        assertTrue(response.body().contains("aperture_batch_inputs_count{kind=\"text\",model=\"minilm\"}"), response.body());
        assertTrue(response.body().contains("aperture_queue_inputs{kind=\"image\",model=\"clip\"}"), response.body());
    }

    static float[] decodeBase64(String encoded) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
