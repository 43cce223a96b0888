package dev.aperture.server;

import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The served models by name, and where the server is in its life: {@link State#LOADING} until every model given has
 * loaded, then {@link State#READY}, then {@link State#SHUTTING_DOWN}. Only a ready server takes {@code /v1} work
 * ({@code /health} is 200 only then). Thread-safe.
 */
final class ModelRegistry {
    /** Where the server is in its life. */
    enum State { LOADING, READY, SHUTTING_DOWN }

    /** The request attribute holding the served model's name, for the metrics' {@code model} tag. */
    static final String MODEL_ATTRIBUTE = "aperture.model";

    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private State state = State.LOADING;

    synchronized void add(ServedModel model) {
        if (models.containsKey(model.name())) {
            model.close();
            throw new IllegalArgumentException("two models are named " + model.name() + "; name them with ID=NAME");
        }
        models.put(model.name(), model);
    }

    synchronized List<ServedModel> all() {
        return new ArrayList<>(models.values());
    }

    synchronized State state() {
        return state;
    }

    synchronized void markReady() {
        if (state == State.LOADING) {
            state = State.READY;
        }
    }

    /** Stops taking work; returns the models, for the caller to drain and close. */
    synchronized List<ServedModel> beginShutdown() {
        state = State.SHUTTING_DOWN;
        return all();
    }

    /**
     * The model a request names (404 when there is none), noted on the request for the metrics.
     *
     * @throws ApiException 404 for an unknown name
     */
    ServedModel require(String name, Context ctx) {
        ServedModel model;
        synchronized (this) {
            model = models.get(name);
        }
        if (model == null) {
            throw new ApiException(new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model",
                    "The model '" + name + "' does not exist here; GET /v1/models lists the served ones", 0));
        }
        ctx.attribute(MODEL_ATTRIBUTE, name);
        return model;
    }
}
