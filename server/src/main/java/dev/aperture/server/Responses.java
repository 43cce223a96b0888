package dev.aperture.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writing responses: JSON bodies, and errors in OpenAI's shape with Retry-After where the client should wait. */
final class Responses {
    private Responses() {
    }

    static void json(Context ctx, int status, ObjectNode body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(JsonBody.JSON.writeValueAsBytes(body));
    }

    /** {@code {"error": {"message", "type", "param", "code"}}} with the error's status. */
    static void error(Context ctx, ApiError error) throws JsonProcessingException {
        ObjectNode body = JsonBody.JSON.createObjectNode();
        body.putObject("error").put("message", error.message()).put("type", error.type())
                .put("param", error.param()).put("code", error.code());
        if (error.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        json(ctx, error.status(), body);
    }
}
