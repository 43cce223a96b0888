package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.InputLimits;
import dev.aperture.models.image.ImageLimits;
import dev.aperture.server.ApertureServer;
import dev.aperture.server.ModelSpec;
import dev.aperture.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code aperture serve}: the OpenAI-compatible embeddings and zero-shot server ({@link ApertureServer}). Prints one
 * JSON line on stderr once bound ({@code {"event": "listening", "url": ...}}, before the models load, so scripts can
 * read the port) and one when every model is ready; runs until the JVM is told to stop (Ctrl-C, SIGTERM), then shuts
 * down gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve models over HTTP: POST /v1/embeddings (OpenAI's API), /v1/classify, /v1/classify-text; "
                + "GET /v1/models, /health, /metrics (Prometheus). Binds 127.0.0.1 unless --host says otherwise.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ID[=NAME]",
            description = "A model to serve (repeatable): a folder, a hub id or a BERT .onnx file; NAME is what "
                    + "requests call it (default: the hub id, or the folder's name).")
    List<String> models;

    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one, printed on stderr).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on /v1 routes (default: none; also APERTURE_API_KEY).")
    String apiKey;

    @Option(names = "--max-batch", defaultValue = "" + ServerOptions.DEFAULT_MAX_BATCH, paramLabel = "N",
            description = "Inputs one batch collects from concurrent requests (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "" + ServerOptions.DEFAULT_MAX_WAIT_MS, paramLabel = "MS",
            description = "How long a batch waits for more requests (default: ${DEFAULT-VALUE}).")
    long maxWaitMillis;

    @Option(names = "--max-queue", defaultValue = "" + ServerOptions.DEFAULT_MAX_QUEUED_INPUTS, paramLabel = "N",
            description = "Inputs queued per model and kind before requests get 503 + Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueuedInputs;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY_BYTES, paramLabel = "BYTES",
            description = "Largest request body (default: ${DEFAULT-VALUE}, 8 MiB).")
    long maxBodyBytes;

    @Option(names = "--max-inputs", defaultValue = "" + ServerOptions.DEFAULT_MAX_INPUTS_PER_REQUEST, paramLabel = "N",
            description = "Most inputs per request (default: ${DEFAULT-VALUE}).")
    int maxInputs;

    @Option(names = "--max-image-pixels", defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS, paramLabel = "N",
            description = "Largest image, in pixels, checked before decoding (default: ${DEFAULT-VALUE}).")
    long maxImagePixels;

    @Option(names = "--read-timeout-ms", defaultValue = "" + ServerOptions.DEFAULT_READ_TIMEOUT_MS, paramLabel = "MS",
            description = "Close a connection idle this long, e.g. a body sent too slowly (default: ${DEFAULT-VALUE}).")
    long readTimeoutMillis;

    @Option(names = "--allow-image-urls",
            description = "Let image inputs be http(s) URLs the server fetches (off by default).")
    boolean allowImageUrls;

    @Mixin
    BackendArgs backendArgs;

    @Mixin
    HubAccess hub;

    /** Tests hand the running server to a callback (to send requests, then close it); null from the command line. */
    private final Consumer<ApertureServer> onReady;

    ServeCommand() {
        this(null);
    }

    ServeCommand(Consumer<ApertureServer> onReady) {
        this.onReady = onReady;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        JsonLines events = new JsonLines(err);
        String key = apiKey != null ? apiKey : System.getenv("APERTURE_API_KEY");
        ServerOptions options = ServerOptions.defaults().withAddress(host, port).withApiKey(key)
                .withRequestLimits(maxBodyBytes, maxInputs)
                .withBatching(maxBatch, Duration.ofMillis(maxWaitMillis), Math.max(maxQueuedInputs, maxInputs))
                .withReadTimeout(Duration.ofMillis(readTimeoutMillis))
                .withImageUrls(allowImageUrls, maxBodyBytes, Duration.ofSeconds(10));
        var modelOptions = backendArgs.options().withLimits(InputLimits.defaults()
                .withImages(new ImageLimits(maxImagePixels)));
        ApertureServer server = ApertureServer.start(options);
        Thread shutdownHook = new Thread(server::close, "aperture-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            ObjectNode listening = events.newObject().put("event", "listening").put("host", host)
                    .put("port", server.port()).put("url", server.baseUrl());
            events.write(listening);
            for (String model : models) {
                server.load(ModelSpec.parse(model), modelOptions, hub.hubOptions());
            }
            server.markReady();
            ObjectNode ready = events.newObject().put("event", "ready").put("url", server.baseUrl());
            ArrayNode names = ready.putArray("models");
            models.forEach(model -> names.add(ModelSpec.parse(model).name()));
            events.write(ready);
            if (onReady != null) {
                onReady.accept(server);
            }
            server.awaitClose();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running: it is what closed the server.
            }
        }
        return 0;
    }
}
