package dev.aperture.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object, read with the body-size limit, and its fields read with errors that name them: a missing
 * or mistyped field is a 400 whose {@code param} is the field, or the item ({@code labels[2]}).
 */
final class JsonBody {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;

    private JsonBody(ObjectNode root) {
        this.root = root;
    }

    /**
     * Reads at most {@code maxBytes} of body (a declared or actual length beyond is a 413 before or while reading,
     * never a buffer of the whole) and parses it as a JSON object.
     */
    static JsonBody read(Context ctx, long maxBytes) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        byte[] body = BoundedStreams.readAtMost(ctx.req().getInputStream(), maxBytes, read -> tooLarge(read, maxBytes));
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
        return new JsonBody(object);
    }

    private static ApiException tooLarge(long bytes, long maxBytes) {
        return ApiException.tooLarge(null, "the request body has " + bytes + " bytes or more, over the limit of "
                + maxBytes + " (--max-body-bytes)");
    }

    /** A string field that must be present. */
    String requiredString(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(field, "'" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field, "'" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    /** A string field, or null when absent. */
    String optionalString(String field) {
        JsonNode value = root.get(field);
        return value == null || value.isNull() ? null : requiredString(field);
    }

    /** A positive integer field, or null when absent. */
    Integer optionalPositiveInt(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1) {
            throw ApiException.badRequest(field, "'" + field + "' must be a positive integer, got " + value);
        }
        return value.intValue();
    }

    boolean has(String field) {
        JsonNode value = root.get(field);
        return value != null && !value.isNull();
    }

    JsonNode get(String field) {
        return root.get(field);
    }

    /**
     * The items of a field that is one value or an array of values (OpenAI's {@code input}): at least one, at most
     * {@code maxItems} (413 beyond).
     */
    List<JsonNode> items(String field, int maxItems) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(field, "'" + field + "' is required");
        }
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            if (value.size() > maxItems) {
                throw ApiException.tooLarge(field, "'" + field + "' has " + value.size()
                        + " items, over the limit of " + maxItems + " per request (--max-inputs)");
            }
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest(field, "'" + field + "' must not be empty");
        }
        return items;
    }

    /** A field of one string or an array of strings, each checked to be a string. */
    List<String> strings(String field, int maxItems) {
        List<JsonNode> items = items(field, maxItems);
        List<String> strings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isTextual()) {
                throw ApiException.badRequest(field + "[" + i + "]", "'" + field + "[" + i + "]' must be a string, got "
                        + item.getNodeType());
            }
            strings.add(item.textValue());
        }
        return strings;
    }
}
