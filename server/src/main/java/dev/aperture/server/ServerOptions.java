package dev.aperture.server;

import dev.aperture.core.InputException;

import java.time.Duration;

/**
 * How {@link ApertureServer} listens, what it accepts and how it batches. Every limit is checked before the memory
 * it guards is used; {@link #defaults()} gives the {@code aperture serve} defaults.
 *
 * @param host                 address to bind; {@code 127.0.0.1} unless told otherwise, so nothing is exposed by
 *                             accident
 * @param port                 TCP port; 0 picks a free one ({@link ApertureServer#port()} says which)
 * @param apiKey               when not null, every {@code /v1} request needs {@code Authorization: Bearer <apiKey>}
 * @param maxBodyBytes         largest request body (413 beyond)
 * @param maxInputsPerRequest  most inputs (texts or images) one request may carry (413 beyond)
 * @param maxBatch             inputs one batch collects from concurrent requests before it runs (also the model's
 *                             forward-pass batch)
 * @param maxWait              how long a batch waits for more requests after its first one arrives
 * @param maxQueuedInputs      inputs one model's queue holds before new requests get 503 with Retry-After
 * @param readTimeout          a connection idle this long (a body sent too slowly, a stalled client) is closed
 * @param allowImageUrls       whether an image input may be an http(s) URL the server fetches
 * @param maxImageUrlBytes     largest image fetched from a URL
 * @param imageUrlTimeout      time limit for fetching one image URL
 * @param shutdownGrace        how long {@link ApertureServer#close()} waits for requests in flight
 */
public record ServerOptions(String host, int port, String apiKey, long maxBodyBytes, int maxInputsPerRequest,
                            int maxBatch, Duration maxWait, int maxQueuedInputs, Duration readTimeout,
                            boolean allowImageUrls, long maxImageUrlBytes, Duration imageUrlTimeout,
                            Duration shutdownGrace) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** 8 MiB: a few full-size JPEGs in base64, or 2,048 texts of 4 KB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;
    /** OpenAI's own limit on inputs per embeddings request. */
    public static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 2048;
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final int DEFAULT_MAX_WAIT_MS = 5;
    /** Four full requests' worth per model: enough to keep the model busy, bounded so memory is too. */
    public static final int DEFAULT_MAX_QUEUED_INPUTS = 4 * DEFAULT_MAX_INPUTS_PER_REQUEST;
    public static final int DEFAULT_READ_TIMEOUT_MS = 30_000;

    /** Validates the options: positive limits, and a queue that holds at least one full request. */
    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new InputException("host must be given");
        }
        if (port < 0 || port > 65_535) {
            throw new InputException("port must be 0..65535, got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new InputException("an API key must not be blank");
        }
        if (maxBodyBytes < 1 || maxInputsPerRequest < 1 || maxBatch < 1 || maxImageUrlBytes < 1) {
            throw new InputException("body size, inputs per request, batch and image-URL size limits must be >= 1");
        }
        if (maxQueuedInputs < maxInputsPerRequest) {
            throw new InputException("the queue (" + maxQueuedInputs + " inputs) must hold at least one full request ("
                    + maxInputsPerRequest + " inputs)");
        }
        if (maxWait.isNegative() || readTimeout.isNegative() || readTimeout.isZero() || imageUrlTimeout.isNegative()
                || imageUrlTimeout.isZero() || shutdownGrace.isNegative()) {
            throw new InputException("timeouts must be positive (max wait and shutdown grace may be 0)");
        }
    }

    /** The {@code aperture serve} defaults: 127.0.0.1:8080, no API key, the limits above, image URLs off. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_INPUTS_PER_REQUEST, DEFAULT_MAX_BATCH, Duration.ofMillis(DEFAULT_MAX_WAIT_MS),
                DEFAULT_MAX_QUEUED_INPUTS, Duration.ofMillis(DEFAULT_READ_TIMEOUT_MS), false, DEFAULT_MAX_BODY_BYTES,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public ServerOptions withAddress(String bindHost, int bindPort) {
        return new ServerOptions(bindHost, bindPort, apiKey, maxBodyBytes, maxInputsPerRequest, maxBatch, maxWait,
                maxQueuedInputs, readTimeout, allowImageUrls, maxImageUrlBytes, imageUrlTimeout, shutdownGrace);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, key, maxBodyBytes, maxInputsPerRequest, maxBatch, maxWait,
                maxQueuedInputs, readTimeout, allowImageUrls, maxImageUrlBytes, imageUrlTimeout, shutdownGrace);
    }

    public ServerOptions withRequestLimits(long bodyBytes, int inputsPerRequest) {
        return new ServerOptions(host, port, apiKey, bodyBytes, inputsPerRequest, maxBatch, maxWait,
                Math.max(maxQueuedInputs, inputsPerRequest), readTimeout, allowImageUrls, maxImageUrlBytes,
                imageUrlTimeout, shutdownGrace);
    }

    public ServerOptions withBatching(int batch, Duration wait, int queuedInputs) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputsPerRequest, batch, wait, queuedInputs,
                readTimeout, allowImageUrls, maxImageUrlBytes, imageUrlTimeout, shutdownGrace);
    }

    public ServerOptions withReadTimeout(Duration timeout) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputsPerRequest, maxBatch, maxWait,
                maxQueuedInputs, timeout, allowImageUrls, maxImageUrlBytes, imageUrlTimeout, shutdownGrace);
    }

    public ServerOptions withImageUrls(boolean allowed, long maxBytes, Duration timeout) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputsPerRequest, maxBatch, maxWait,
                maxQueuedInputs, readTimeout, allowed, maxBytes, timeout, shutdownGrace);
    }
}
