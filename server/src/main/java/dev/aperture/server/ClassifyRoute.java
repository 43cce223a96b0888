package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.PromptTemplates;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/classify}: zero-shot image classification, as {@code aperture classify}.
 * Request: {@code {"model", "input": image | [images], "labels": [...], "templates": [...] | "imagenet80",
 * "top_k"}} (images as {@link ImageItems} reads them; plain base64 is an image here). Response: {@code {"object":
 * "list", "model", "data": [{"index", "image": "input[i]", "scoring", "labels": [{"label", "score", "logit"}]}]}}.
 * Images go through the model's image batcher; label embeddings come from the classifier shared by every request
 * with the same templates.
 */
final class ClassifyRoute {
    private final ModelRegistry registry;
    private final ImageItems imageItems;
    private final ServerOptions options;

    ClassifyRoute(ModelRegistry registry, ImageItems imageItems, ServerOptions options) {
        this.registry = registry;
        this.imageItems = imageItems;
        this.options = options;
    }

    void handle(Context ctx, JsonBody body) throws Exception {
        ServedModel model = registry.require(body.requiredString("model"), ctx);
        if (!model.embedsImages()) {
            throw ApiException.badRequest("model", "model " + model.name() + " (" + model.family()
                    + ") embeds texts only; classify texts with POST /v1/classify-text");
        }
        List<JsonNode> items = body.items("input", options.maxInputsPerRequest());
        List<ImageInput> images = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            images.add(imageItems.decode(items.get(i), "input[" + i + "]", true));
        }
        List<String> labels = body.strings("labels", options.maxInputsPerRequest());
        List<String> templates = templates(body);
        Integer top = body.optionalPositiveInt("top_k");
        var classifier = model.imageClassifier(templates);
        float[][] vectors = Batcher.await(model.embedImages(images));
        List<List<Label>> ranked = classifier.classifyEmbeddings(vectors, labels);

        ObjectNode response = JsonBody.JSON.createObjectNode().put("object", "list").put("model", model.name());
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < ranked.size(); i++) {
            ObjectNode item = data.addObject().put("index", i).put("image", images.get(i).name());
            ResultJson.putImageLabels(item, ranked.get(i), top);
        }
        Responses.json(ctx, 200, response);
    }

    /** {@code "templates"}: an array of templates, or a preset's name; absent: the family's default. */
    private List<String> templates(JsonBody body) {
        if (!body.has("templates")) {
            return null;
        }
        JsonNode value = body.get("templates");
        if (value.isTextual() && !value.textValue().contains(PromptTemplates.PLACEHOLDER)) {
            return PromptTemplates.preset(value.textValue());
        }
        return body.strings("templates", options.maxInputsPerRequest());
    }
}
