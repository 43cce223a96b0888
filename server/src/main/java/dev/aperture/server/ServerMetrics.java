package dev.aperture.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped at {@code GET /metrics} in Prometheus' text format:
 * <ul>
 *   <li>{@code aperture_http_requests_seconds} (count, sum, max) by {@code route}, {@code model}, {@code status};</li>
 *   <li>{@code aperture_batch_inputs} and {@code aperture_batch_requests}: inputs and requests per batch, by
 *       {@code model} and {@code kind} (text, image);</li>
 *   <li>{@code aperture_queue_inputs}: inputs waiting for a batch, by {@code model} and {@code kind};</li>
 *   <li>{@code aperture_requests_rejected_total}: requests refused by a full or closing queue, by {@code model}
 *       and {@code reason}.</li>
 * </ul>
 * The {@code model} tag is a served model's name, or {@code none} when the request named no model the server has,
 * so clients cannot grow the number of series.
 */
final class ServerMetrics {
    static final String NO_MODEL = "none";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    void recordRequest(String route, String model, int status, long nanos) {
        Timer.builder("aperture.http.requests").description("HTTP requests by route, model and status")
                .tags("route", route, "model", model, "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void recordBatch(String model, String kind, int inputs, int requests) {
        DistributionSummary.builder("aperture.batch.inputs").description("Inputs per batch")
                .tags("model", model, "kind", kind).register(registry).record(inputs);
        DistributionSummary.builder("aperture.batch.requests").description("Requests merged into one batch")
                .tags("model", model, "kind", kind).register(registry).record(requests);
    }

    void registerQueueDepth(String model, String kind, Supplier<Number> queuedInputs) {
        Gauge.builder("aperture.queue.inputs", queuedInputs).description("Inputs waiting for a batch")
                .tags("model", model, "kind", kind).register(registry);
    }

    void recordRejected(String model, String reason) {
        Counter.builder("aperture.requests.rejected").description("Requests refused by a full or closing queue")
                .tags("model", model, "reason", reason).register(registry).increment();
    }

    /** The Prometheus text exposition of every metric. */
    String scrape() {
        return registry.scrape();
    }
}
