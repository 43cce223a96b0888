package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import io.javalin.http.Context;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/embeddings}, OpenAI's request and response: {@code {"model", "input": string | [items],
 * "encoding_format": "float" | "base64"}} gives {@code {"object": "list", "data": [{"object": "embedding", "index",
 * "embedding"}], "model", "usage": {"prompt_tokens", "total_tokens"}}}, each vector L2-normalized as the model's
 * {@code embed} returns it. Items are texts, or images ({@link ImageItems}) for an image-text model.
 */
final class EmbeddingsRoute {
    private final ModelRegistry registry;
    private final ImageItems imageItems;
    private final ServerOptions options;

    EmbeddingsRoute(ModelRegistry registry, ImageItems imageItems, ServerOptions options) {
        this.registry = registry;
        this.imageItems = imageItems;
        this.options = options;
    }

    /** The inputs of one request, split by kind, each with its index in {@code input}. */
    private record SplitInputs(List<String> texts, List<Integer> textIndices, List<ImageInput> images,
                               List<Integer> imageIndices) {
    }

    void handle(Context ctx, JsonBody body) throws Exception {
        ServedModel model = registry.require(body.requiredString("model"), ctx);
        boolean base64 = encodingIsBase64(body.optionalString("encoding_format"));
        SplitInputs inputs = split(body.items("input", options.maxInputsPerRequest()), model);
        // Both kinds are queued before either is awaited, so a mixed request's texts and images batch concurrently.
        CompletableFuture<float[][]> texts = model.embedTexts(inputs.texts());
        CompletableFuture<float[][]> images = inputs.images().isEmpty() ? CompletableFuture.completedFuture(new float[0][])
                : model.embedImages(inputs.images());
        float[][] vectors = new float[inputs.texts().size() + inputs.images().size()][];
        place(Batcher.await(texts), inputs.textIndices(), vectors);
        place(Batcher.await(images), inputs.imageIndices(), vectors);
        int tokens = model.countTokens(inputs.texts());
        Responses.json(ctx, 200, response(model.name(), vectors, base64, tokens));
    }

    private static boolean encodingIsBase64(String format) {
        if (format == null || format.equals("float")) {
            return false;
        }
        if (format.equals("base64")) {
            return true;
        }
        throw ApiException.badRequest("encoding_format", "'encoding_format' must be \"float\" or \"base64\", got \""
                + format + "\"");
    }

    private SplitInputs split(List<JsonNode> items, ServedModel model) {
        SplitInputs inputs = new SplitInputs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String param = "input[" + i + "]";
            if (ImageItems.isImage(item)) {
                if (!model.embedsImages()) {
                    throw ApiException.badRequest(param, "'" + param + "' is an image, but model " + model.name()
                            + " (" + model.family() + ") embeds texts only");
                }
                inputs.images().add(imageItems.decode(item, param, false));
                inputs.imageIndices().add(i);
            } else if (item.isTextual()) {
                inputs.texts().add(item.textValue());
                inputs.textIndices().add(i);
            } else if (item.isObject() && item.has("text") && item.get("text").isTextual()) {
                inputs.texts().add(item.get("text").textValue());
                inputs.textIndices().add(i);
            } else {
                throw ApiException.badRequest(param, "'" + param + "' must be a string (a text"
                        + (model.embedsImages() ? ", or an image as a data: URL" : "") + ")"
                        + (model.embedsImages() ? " or {\"image\": ...}" : "") + "; got " + item.getNodeType()
                        + (item.isArray() ? " (token arrays are not supported: send the text)" : ""));
            }
        }
        return inputs;
    }

    private static void place(float[][] rows, List<Integer> indices, float[][] into) {
        for (int k = 0; k < rows.length; k++) {
            into[indices.get(k)] = rows[k];
        }
    }

    private static ObjectNode response(String model, float[][] vectors, boolean base64, int tokens) {
        ObjectNode response = JsonBody.JSON.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", littleEndianBase64(vectors[i]));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vectors[i]) {
                    values.add(value);
                }
            }
        }
        response.put("model", model);
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return response;
    }

    /** OpenAI's base64 encoding: the float32 values, little-endian, base64. */
    private static String littleEndianBase64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
