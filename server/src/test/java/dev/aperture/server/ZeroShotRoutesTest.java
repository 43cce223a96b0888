package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.bert.TextLabelScore;
import dev.aperture.models.bert.ZeroShotTextClassifier;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.PromptTemplates;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code /v1/classify} and {@code /v1/classify-text}: the Java classifiers' rankings, in the CLI's JSON shape. */
class ZeroShotRoutesTest {
    private static final List<String> LABELS = List.of("cat", "dog", "car");
    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ServerFixture.start(ServerOptions.defaults());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static ObjectNode classifyRequest(String model, byte[] image) {
        ObjectNode request = ServerFixture.object().put("model", model);
        request.putArray("input").add(ServerFixture.dataUrl(image));
        LABELS.forEach(request.putArray("labels")::add);
        return request;
    }

    @Test
    void classifyRanksLikeTheJavaClassifierWithTheFamilysScoring() {
        byte[] image = ServerFixture.images().get(2);
        HttpResponse<String> response = fixture.post("/v1/classify", classifyRequest("clip", image));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = ServerFixture.json(response).get("data").get(0);
        try (ImageTextModel clip = ServerFixture.directClip()) {
            List<Label> expected = new ZeroShotClassifier(clip).classify(ServerFixture.imageInput(image), LABELS);
            assertEquals("softmax", result.get("scoring").asText());
            assertEquals("input[0]", result.get("image").asText());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).label(), result.get("labels").get(i).get("label").asText());
                assertEquals(expected.get(i).score(), result.get("labels").get(i).get("score").asDouble());
                assertEquals(expected.get(i).logit(), result.get("labels").get(i).get("logit").asDouble());
            }
        }
    }

    @Test
    void classifyWithAPresetAndTopKOnSiglipSaysSigmoid() {
        ObjectNode request = classifyRequest("siglip", ServerFixture.images().get(0)).put("templates", "imagenet7")
                .put("top_k", 2);
        HttpResponse<String> response = fixture.post("/v1/classify", request);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = ServerFixture.json(response).get("data").get(0);
        assertEquals("sigmoid", result.get("scoring").asText());
        assertEquals(2, result.get("labels").size());
        assertEquals(7, PromptTemplates.preset("imagenet7").size());
    }

    @Test
    void classifyTextRanksLikeTheJavaClassifier() {
        ObjectNode request = ServerFixture.object().put("model", "minilm").put("template", "This text is about {}.");
        request.putArray("input").add("The striker scored twice.").add("The central bank raised rates.");
        List.of("sports", "finance").forEach(request.putArray("labels")::add);
        HttpResponse<String> response = fixture.post("/v1/classify-text", request);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode data = ServerFixture.json(response).get("data");
        try (TextEmbedder miniLm = ServerFixture.directMiniLm()) {
            List<List<TextLabelScore>> expected = new ZeroShotTextClassifier(miniLm, List.of("sports", "finance"),
                    "This text is about {}.").classify(List.of("The striker scored twice.", "The central bank raised rates."));
            for (int t = 0; t < 2; t++) {
                assertEquals(expected.get(t).getFirst().label(), data.get(t).get("labels").get(0).get("label").asText());
                assertEquals(expected.get(t).getFirst().score(), data.get(t).get("labels").get(0).get("score").floatValue());
            }
        }
        assertEquals("sports", data.get(0).get("labels").get(0).get("label").asText());
        assertEquals("finance", data.get(1).get("labels").get(0).get("label").asText());
    }

    @Test
    void classifyTextOnAnImageModelIsABadRequestNamingTheRoute() {
        ObjectNode request = ServerFixture.object().put("model", "clip").put("input", "text");
        request.putArray("labels").add("a");
        HttpResponse<String> response = fixture.post("/v1/classify-text", request);
        assertEquals(400, response.statusCode());
        assertEquals("model", ServerFixture.json(response).get("error").get("param").asText());
    }
}
