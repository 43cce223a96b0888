package dev.aperture.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.bert.TextLabelScore;
import dev.aperture.models.bert.ZeroShotTextClassifier;
import io.javalin.http.Context;

import java.util.List;

/**
 * {@code POST /v1/classify-text}: zero-shot text classification with a BERT sentence embedder, as
 * {@code aperture classify-text}. Request: {@code {"model", "input": text | [texts], "labels": [...], "template":
 * "This text is about {}."}} (default: the label alone). Response: {@code {"object": "list", "model", "data":
 * [{"index", "text", "labels": [{"label", "score"}]}]}}, scores raw cosines, best first. Texts go through the model's
 * batcher; the labels' embeddings are cached per label set and template.
 */
final class ClassifyTextRoute {
    private final ModelRegistry registry;
    private final ServerOptions options;

    ClassifyTextRoute(ModelRegistry registry, ServerOptions options) {
        this.registry = registry;
        this.options = options;
    }

    void handle(Context ctx, JsonBody body) throws Exception {
        ServedModel model = registry.require(body.requiredString("model"), ctx);
        if (model.embedsImages()) {
            throw ApiException.badRequest("model", "model " + model.name() + " (" + model.family()
                    + ") is an image-text model; classify images with POST /v1/classify");
        }
        List<String> texts = body.strings("input", options.maxInputsPerRequest());
        List<String> labels = body.strings("labels", options.maxInputsPerRequest());
        String template = body.optionalString("template");
        ZeroShotTextClassifier classifier = model.textClassifier(labels,
                template == null ? ZeroShotTextClassifier.PLAIN_TEMPLATE : template);
        List<List<TextLabelScore>> ranked = classifier.classifyEmbeddings(Batcher.await(model.embedTexts(texts)));

        ObjectNode response = JsonBody.JSON.createObjectNode().put("object", "list").put("model", model.name());
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < ranked.size(); i++) {
            ResultJson.putTextLabels(data.addObject().put("index", i).put("text", texts.get(i)), ranked.get(i));
        }
        Responses.json(ctx, 200, response);
    }
}
