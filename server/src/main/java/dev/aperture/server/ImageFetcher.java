package dev.aperture.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches image URLs for requests, when {@code --allow-image-urls} allows it: http and https only, no redirects
 * (a redirect could lead anywhere the server can reach), at most {@code maxBytes} read and {@code timeout} for the
 * whole exchange.
 */
final class ImageFetcher {
    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;

    ImageFetcher(long maxBytes, Duration timeout) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .build();
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
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw ApiException.badRequest(param, "fetching '" + param + "' (" + url + ") gave HTTP "
                            + response.statusCode());
                }
                return BoundedStreams.readAtMost(body, maxBytes, read -> ApiException.tooLarge(param, "the image at '"
                        + param + "' is over the limit of " + maxBytes + " bytes (--max-image-url-bytes)"));
            }
        } catch (HttpTimeoutException e) {
            throw ApiException.badRequest(param, "fetching '" + param + "' (" + url + ") took over " + timeout);
        } catch (IOException e) {
            throw ApiException.badRequest(param, "cannot fetch '" + param + "' (" + url + "): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.badRequest(param, "interrupted while fetching '" + param + "'");
        }
    }
}
