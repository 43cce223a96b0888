package dev.aperture.server;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.source.HubOptions;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

import java.util.concurrent.CountDownLatch;

/**
 * The {@code aperture serve} HTTP server, as a library: OpenAI-compatible {@code /v1/embeddings}, zero-shot
 * {@code /v1/classify} and {@code /v1/classify-text}, {@code /v1/models}, {@code /health} and {@code /metrics}, on
 * Javalin (Jetty 12) with a virtual thread per request.
 *
 * <pre>{@code
 * try (ApertureServer server = ApertureServer.start(ServerOptions.defaults().withAddress("127.0.0.1", 0))) {
 *     server.load(ModelSpec.parse("openai/clip-vit-base-patch32=clip"), ModelOptions.defaults(), hub);
 *     server.markReady();              // /health turns 200
 *     server.awaitClose();
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully, through Jetty's graceful stop ({@link DrainingHandler}): the listening
 * socket closes first, so new connections are refused; a new request on a connection kept alive gets 503 with
 * Retry-After and {@code Connection: close}; the requests in flight finish (for up to
 * {@link ServerOptions#shutdownGrace()}; past it, Jetty closes their connections); then each model's queue is
 * drained and the models are closed.
 */
public final class ApertureServer implements AutoCloseable {
    private final ServerOptions options;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ModelRegistry registry = new ModelRegistry();
    private final ApiKeyCheck apiKeys;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Javalin app;
    /** Set on a request one of the routes handled, so that Javalin's error pages leave its response alone. */
    private static final String ROUTED_ATTRIBUTE = "aperture.route";

    private ApertureServer(ServerOptions options) {
        this.options = options;
        this.apiKeys = new ApiKeyCheck(options.apiKey());
        ImageItems images = new ImageItems(options.allowImageUrls()
                ? new ImageFetcher(options.maxImageUrlBytes(), options.imageUrlTimeout()) : null);
        EmbeddingsRoute embeddings = new EmbeddingsRoute(registry, images, options);
        ClassifyRoute classify = new ClassifyRoute(registry, images, options);
        ClassifyTextRoute classifyText = new ClassifyTextRoute(registry, options);
        OperationsRoutes operations = new OperationsRoutes(registry, metrics);
        this.app = Javalin.create(config -> {
            configureHttp(config);
            config.routes.post("/v1/embeddings", work("/v1/embeddings", embeddings::handle));
            config.routes.post("/v1/classify", work("/v1/classify", classify::handle));
            config.routes.post("/v1/classify-text", work("/v1/classify-text", classifyText::handle));
            config.routes.get("/v1/models", open("/v1/models", true, operations::listModels));
            config.routes.get("/health", open("/health", false, operations::health));
            config.routes.get("/metrics", open("/metrics", false, operations::metrics));
            // Javalin's own 404 and 405 (no such route), in OpenAI's shape; a route's own 404 (unknown model) stays.
            config.routes.error(404, ctx -> unlessRouted(ctx, new ApiError(404, ApiError.INVALID_REQUEST,
                    "unknown_route", null, "No route " + ctx.method() + " " + ctx.path(), 0)));
            config.routes.error(405, ctx -> unlessRouted(ctx, new ApiError(405, ApiError.INVALID_REQUEST,
                    "method_not_allowed", null, "Method " + ctx.method() + " is not allowed on " + ctx.path(), 0)));
        });
    }

    private static void unlessRouted(Context ctx, ApiError error) throws Exception {
        if (ctx.attribute(ROUTED_ATTRIBUTE) == null) {
            Responses.error(ctx, error);
        }
    }

    /** Binds and starts serving; {@code /health} is 503 until {@link #markReady()}. */
    public static ApertureServer start(ServerOptions options) {
        ApertureServer server = new ApertureServer(options);
        server.app.start();
        return server;
    }

    private void configureHttp(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.concurrency.useVirtualThreads = true;
        config.http.maxRequestSize = options.maxBodyBytes();
        config.http.prefer405over404 = true;
        config.jetty.modifyServer(server -> {
            // Jetty's graceful stop: close the listener, then wait this long for the requests in flight.
            server.insertHandler(new DrainingHandler());
            server.setStopTimeout(options.shutdownGrace().toMillis());
        });
        // One connector with an idle timeout: a client that stalls or sends its body too slowly is cut off.
        config.jetty.addConnector((server, httpConfiguration) -> {
            // Jetty caches a connection's header values and by default matches them ignoring case: a later
            // "Bearer secreT" would read as an earlier "Bearer secret". API keys are case-sensitive.
            httpConfiguration.setHeaderCacheCaseSensitive(true);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
            connector.setHost(options.host());
            connector.setPort(options.port());
            connector.setIdleTimeout(options.readTimeout().toMillis());
            return connector;
        });
    }

    /** The port bound (the ephemeral one when {@link ServerOptions#port()} was 0). */
    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    public String host() {
        return options.host();
    }

    /** {@code http://host:port}. */
    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    /**
     * Loads a model (CLIP and SigLIP through {@link ImageTextModel#load}, BERT through {@link TextEmbedder#load}, as
     * config.json's {@code model_type} says) and serves it under {@link ModelSpec#name()}. The model's
     * forward-pass batch is the server's {@link ServerOptions#maxBatch()}.
     */
    public void load(ModelSpec spec, ModelOptions modelOptions, HubOptions hub) {
        registry.add(ServedModel.load(spec, modelOptions.withBatchSize(options.maxBatch()), hub, options, metrics));
    }

    /** Serves an already loaded image-text model under {@code name}; the server closes it. */
    public void serve(String name, ImageTextModel model) {
        registry.add(ServedModel.of(name, model, options, metrics));
    }

    /** Serves an already loaded sentence embedder under {@code name}; the server closes it. */
    public void serve(String name, TextEmbedder embedder) {
        registry.add(ServedModel.of(name, embedder, options, metrics));
    }

    /** Every model is loaded: {@code /health} turns 200 and {@code /v1} requests are taken. */
    public void markReady() {
        registry.markReady();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * A {@code /v1} route that runs a model: only when ready, behind the API key. The body is
     * read (within the limit) before anything can refuse the request, so the connection is left at the next request.
     */
    private io.javalin.http.Handler work(String route, WorkRoute handler) {
        return ctx -> instrumented(route, ctx, request -> {
            JsonBody body = JsonBody.read(ctx, options.maxBodyBytes());
            apiKeys.check(ctx);
            refuseUnlessReady();
            handler.handle(ctx, body);
        });
    }

    /** A route that describes the server; {@code /v1/models} is behind the API key, health and metrics are not. */
    private io.javalin.http.Handler open(String route, boolean needsKey, Handler handler) {
        return ctx -> instrumented(route, ctx, request -> {
            if (needsKey) {
                apiKeys.check(ctx);
            }
            handler.handle(ctx);
        });
    }

    private void refuseUnlessReady() {
        switch (registry.state()) {
            case LOADING -> throw new ApiException(ApiError.unavailable("loading", "the models are still loading"));
            case SHUTTING_DOWN -> throw new ApiException(ApiError.unavailable("shutting_down",
                    "the server is shutting down"));
            case READY -> { }
        }
    }

    /** Runs a handler, answering any failure in OpenAI's error shape, and records the request's metrics. */
    private void instrumented(String route, Context ctx, Handler handler) throws Exception {
        long start = System.nanoTime();
        ctx.attribute(ROUTED_ATTRIBUTE, route);
        try {
            handler.handle(ctx);
        } catch (Exception | Error failure) {
            ApiError error = ErrorMapping.toApiError(failure);
            if (error.status() >= 500 && error.status() != 503) {
                System.err.println("error: " + ctx.method() + " " + ctx.path() + ": " + failure);
                failure.printStackTrace();
            }
            if (error.status() == 413 || error.status() == 408) {
                // The body may be partly unread: the connection cannot carry another request.
                ctx.header("Connection", "close");
            }
            Responses.error(ctx, error);
        } finally {
            String model = ctx.attribute(ModelRegistry.MODEL_ATTRIBUTE);
            metrics.recordRequest(route, model != null ? model : ServerMetrics.NO_MODEL, ctx.statusCode(),
                    System.nanoTime() - start);
        }
    }

    /** A route's work; may throw anything, which {@link #instrumented} maps to a status. */
    @FunctionalInterface
    private interface Handler {
        void handle(Context ctx) throws Exception;
    }

    /** A {@code /v1} route's work on its parsed body. */
    @FunctionalInterface
    private interface WorkRoute {
        void handle(Context ctx, JsonBody body) throws Exception;
    }

    /** Graceful shutdown (see the class comment); idempotent. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        var models = registry.beginShutdown();
        app.stop();   // returns once the requests in flight have finished, or the grace has run out
        models.forEach(ServedModel::close);
        closed.countDown();
    }
}
