/**
 * {@code aperture serve} as a library: an OpenAI-compatible embeddings and zero-shot HTTP server over Aperture's
 * models, with dynamic batching, limits, API-key checks and Prometheus metrics. A module of its own so that users of
 * {@code dev.aperture.models} never inherit the HTTP stack (Javalin on Jetty) or Micrometer.
 *
 * <p>Exported: {@code dev.aperture.server} ({@code ApertureServer}, {@code ServerOptions}, {@code ModelSpec}, and
 * {@code ResultJson}, the classification JSON the CLI prints too).
 */
module dev.aperture.server {
    requires transitive dev.aperture.models;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires io.javalin;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires java.net.http;   // --allow-image-urls fetches images

    exports dev.aperture.server;
}
