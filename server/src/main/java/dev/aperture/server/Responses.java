package dev.aperture.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;

/** Writing responses: JSON bodies, and errors in OpenAI's shape with Retry-After where the client should wait. */
final class Responses {
    private Responses() {
    }

    /**
     * Writes and flushes the body before returning (rather than leaving it for Javalin to write after the handler),
     * so that a request counted as finished has its whole response sent: graceful shutdown relies on it.
     */
    static void json(Context ctx, int status, ObjectNode body) throws IOException {
        byte[] bytes = JsonBody.JSON.writeValueAsBytes(body);
        ctx.status(status);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(bytes.length);
        ctx.res().getOutputStream().write(bytes);
        ctx.res().flushBuffer();
    }

    /** {@code {"error": {"message", "type", "param", "code"}}} with the error's status. */
    static void error(Context ctx, ApiError error) throws IOException {
        if (error.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        json(ctx, error.status(), errorBody(error));
    }

    /** The body of an error response, also written outside Javalin by {@link DrainingHandler}. */
    static ObjectNode errorBody(ApiError error) {
        ObjectNode body = JsonBody.JSON.createObjectNode();
        body.putObject("error").put("message", error.message()).put("type", error.type())
                .put("param", error.param()).put("code", error.code());
        return body;
    }
}
