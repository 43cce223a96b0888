package dev.aperture.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches image URLs for requests, when {@code --allow-image-urls} allows it: http and https only, no redirects
 * (a redirect could lead anywhere the server can reach), at most {@code maxBytes} read and {@code timeout} for the
 * whole exchange, body included.
 */
final class ImageFetcher {
    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;

    ImageFetcher(long maxBytes, Duration timeout) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    byte[] fetch(String url, String param) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(param, "'" + param + "' is not a valid URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw ApiException.badRequest(param, "'" + param + "': only http and https image URLs are fetched");
        }
        // HttpRequest's own timeout ends once the headers arrive: a host that answers at once and then trickles the
        // body would hold the request for as long as it likes. So the whole download runs under one deadline, on a
        // thread of its own that is interrupted (which closes the connection) when the deadline passes.
        FutureTask<byte[]> download = new FutureTask<>(() -> download(uri, url, param));
        Thread.ofVirtual().name("image-url-fetch").start(download);
        try {
            return download.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            download.cancel(true);
            throw ApiException.badRequest(param, "fetching '" + param + "' (" + url + ") took over " + timeout);
        } catch (ExecutionException e) {
            throw switch (e.getCause()) {
                case RuntimeException refusal -> refusal;
                case IOException io -> ApiException.badRequest(param, "cannot fetch '" + param + "' (" + url + "): "
                        + io);
                case Error error -> throw error;
                default -> new IllegalStateException(e.getCause());
            };
        } catch (InterruptedException e) {
            download.cancel(true);
            Thread.currentThread().interrupt();
            throw ApiException.badRequest(param, "interrupted while fetching '" + param + "'");
        }
    }

    private byte[] download(URI uri, String url, String param) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw ApiException.badRequest(param, "fetching '" + param + "' (" + url + ") gave HTTP "
                        + response.statusCode());
            }
            return BoundedStreams.readAtMost(body, maxBytes, read -> ApiException.tooLarge(param, "the image at '"
                    + param + "' is over the limit of " + maxBytes + " bytes for a fetched image"));
        }
    }
}
