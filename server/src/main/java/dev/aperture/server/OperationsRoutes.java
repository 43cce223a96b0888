package dev.aperture.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * The routes that describe the server rather than run a model: {@code GET /v1/models} (OpenAI's list shape),
 * {@code GET /health} (200 only when every model is loaded; 503 while loading or shutting down) and
 * {@code GET /metrics} (Prometheus text format).
 */
final class OperationsRoutes {
    private final ModelRegistry registry;
    private final ServerMetrics metrics;

    OperationsRoutes(ModelRegistry registry, ServerMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    void listModels(Context ctx) throws Exception {
        ObjectNode response = JsonBody.JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        for (ServedModel model : registry.all()) {
            data.addObject().put("id", model.name()).put("object", "model").put("created", model.createdEpochSeconds())
                    .put("owned_by", "aperture").put("family", model.family());
        }
        Responses.json(ctx, 200, response);
    }

    void health(Context ctx) throws Exception {
        ModelRegistry.State state = registry.state();
        ObjectNode body = JsonBody.JSON.createObjectNode().put("status", state.name().toLowerCase(java.util.Locale.ROOT));
        if (state != ModelRegistry.State.READY) {
            ctx.header("Retry-After", "1");
        }
        Responses.json(ctx, state == ModelRegistry.State.READY ? 200 : 503, body);
    }

    void metrics(Context ctx) {
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
