package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.ApertureException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hub requests a download needs, with java.net.http: HEAD on {@code /{repo}/resolve/{revision}/{file}}
 * for the file's commit, ETag, size and CDN location, the GET requests {@link BlobDownloader} sends, and GETs of
 * small JSON answers of the hub's API ({@code /api/models/{repo}/...}, for {@link ConversionPullRequests}).
 *
 * <p>Redirects are followed by hand. The HEAD follows only relative ones (a renamed repository) and stops at an
 * absolute one, whose Location is the CDN URL of a LFS file, as huggingface_hub does. GETs follow all of them but
 * send the token only to the endpoint's own host and port: a CDN URL is signed and must not see it.
 */
final class HubClient implements AutoCloseable {

    static final int MAX_REDIRECTS = 10;
    /** A discussions page or commit list is tens of kilobytes; far more is a server trying to exhaust memory. */
    static final long MAX_API_ANSWER_BYTES = 4L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "aperture/0.1 java/" + Runtime.version().feature();

    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final Duration timeout;

    HubClient(HubOptions options) {
        this.endpoint = options.endpoint();
        this.token = options.token();
        this.timeout = options.timeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .proxy(ProxySelector.getDefault()) // -Dhttps.proxyHost=... or -Djava.net.useSystemProxies=true
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A network failure: no answer from the hub (refused, timed out, reset before the headers). */
    static final class UnreachableException extends ApertureException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** The resolve URL of a file: the revision is one path segment ('/' escaped), the file name keeps its '/'. */
    URI resolveUrl(String repoId, String revision, String fileName) {
        StringBuilder path = new StringBuilder(endpoint.toString()).append('/').append(repoId)
                .append("/resolve/").append(encode(revision));
        for (String part : fileName.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(path.toString());
    }

    /** The URL of a model's API resource, {@code /api/models/{repo}/{part}/...}, each part one segment. */
    URI apiUrl(String repoId, String... parts) {
        StringBuilder path = new StringBuilder(endpoint.toString()).append("/api/models/").append(repoId);
        for (String part : parts) {
            path.append('/').append(encode(part));
        }
        return URI.create(path.toString());
    }

    /**
     * GETs a JSON answer of the hub's API, following relative redirects (a renamed repository) as {@link #head}
     * does. Empty when the hub will not give it: 401, 403 or 404 (absent, disabled, or not for this token).
     *
     * @throws UnreachableException if no complete answer arrives in time
     * @throws ApertureException    on any other status, an answer over {@link #MAX_API_ANSWER_BYTES}, or one that is
     *                              not JSON
     */
    Optional<JsonNode> getJson(URI url) {
        HttpResponse<byte[]> response = getBounded(url);
        for (int hop = 0; isRedirect(response.statusCode()) && hop < MAX_REDIRECTS; hop++) {
            URI location = location(response);
            if (location.getHost() != null) {
                break; // the API answers on the hub itself; elsewhere is not an answer to trust
            }
            url = url.resolve(location);
            response = getBounded(url);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new ApertureException("hub answered HTTP " + status + " for " + url);
        }
        try {
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new ApertureException("the hub's answer for " + url + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** One GET of a small answer, its body bounded in size and, with the headers, in time. */
    private HttpResponse<byte[]> getBounded(URI url) {
        HttpRequest request = request(url, "GET").header("Accept", "application/json").build();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request,
                BoundedBody.handler(MAX_API_ANSWER_BYTES));
        // The request's timeout covers only the wait for the headers: a server that then trickles the body must
        // not hold us for ever, so the whole answer gets one more timeout.
        Duration deadline = timeout.multipliedBy(2);
        try {
            return pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new UnreachableException("no complete answer from " + url + " within " + deadline.toMillis()
                    + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BoundedBody.TooLargeException tooLarge) {
                throw new ApertureException("refusing the hub's answer for " + url + ": " + tooLarge.getMessage(),
                        tooLarge);
            }
            if (cause instanceof IOException io) {
                throw unreachable(request, io);
            }
            throw new ApertureException("request to " + url + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            throw new ApertureException("interrupted while requesting " + url, e);
        }
    }

    /** HEAD a file at a revision (a branch, tag or commit) and read what the hub says about it. */
    RemoteFile head(HubRef ref, String revision, String fileName) {
        URI url = resolveUrl(ref.repoId(), revision, fileName);
        HttpResponse<Void> response = send(request(url, "HEAD").build(), HttpResponse.BodyHandlers.discarding());
        for (int hop = 0; isRedirect(response.statusCode()) && hop < MAX_REDIRECTS; hop++) {
            URI location = location(response);
            if (location.getHost() != null) {
                break; // absolute: the CDN URL to download from, not to HEAD
            }
            url = url.resolve(location);
            response = send(request(url, "HEAD").build(), HttpResponse.BodyHandlers.discarding());
        }
        int status = response.statusCode();
        String where = "'" + fileName + "' of hub model " + ref.repoId() + " at revision " + revision;
        if (status == 401 || status == 403) {
            throw notAuthorized(ref, response, where);
        }
        if (status == 404) {
            return missingFile(ref, revision, fileName, response);
        }
        if (status >= 400 || status < 200) {
            throw new ApertureException("hub answered HTTP " + status + " for " + where + " (" + url + ")");
        }
        String commit = header(response, "x-repo-commit");
        String etag = RepoPaths.normalizeEtag(
                header(response, "x-linked-etag") != null ? header(response, "x-linked-etag")
                        : header(response, "etag"), url.toString());
        if (!HubRef.isCommitHash(commit) || etag == null) {
            throw new ApertureException("the server at " + endpoint + " sent no valid X-Repo-Commit or ETag for "
                    + where + " (" + url + "); is HF_ENDPOINT a Hugging Face hub?");
        }
        long size = parseSize(header(response, "x-linked-size") != null ? header(response, "x-linked-size")
                : header(response, "content-length"));
        URI download = isRedirect(status) ? url.resolve(location(response)) : url;
        return new RemoteFile(fileName, true, commit, etag, size, download);
    }

    /** A GET of {@code url} from byte {@code fromByte} on (a Range request when above 0); redirects not followed. */
    HttpRequest downloadRequest(URI url, long fromByte) {
        HttpRequest.Builder request = request(url, "GET");
        if (fromByte > 0) {
            request.header("Range", "bytes=" + fromByte + "-");
        }
        return request.build();
    }

    /** Sends without waiting, so that the caller can watch the body arrive and abandon a stalled transfer. */
    <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(request, handler);
    }

    /** The request with our user agent, and the token only when the URL is on the endpoint's own host and port. */
    private HttpRequest.Builder request(URI url, String method) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", USER_AGENT);
        if (token != null && sameOrigin(url, endpoint)) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApertureException("interrupted while requesting " + request.uri(), e);
        }
    }

    private static UnreachableException unreachable(HttpRequest request, IOException e) {
        return new UnreachableException("cannot reach " + request.uri().getScheme() + "://"
                + request.uri().getAuthority() + ": " + describe(e), e);
    }

    private InputException notAuthorized(HubRef ref, HttpResponse<?> response, String where) {
        String tokenAdvice = token == null
                ? "set HF_TOKEN to a Hugging Face access token that may read it"
                : "the token in HF_TOKEN was refused: check that it is valid and that its account was granted access";
        return new InputException("hub model " + ref.repoId() + " is gated, private or does not exist (HTTP "
                + response.statusCode() + errorCode(response) + " for " + where + "): if it exists, request access"
                + " on its page at " + endpoint + "/" + ref.repoId() + " and " + tokenAdvice);
    }

    private RemoteFile missingFile(HubRef ref, String revision, String fileName, HttpResponse<?> response) {
        String code = header(response, "x-error-code");
        if ("RepoNotFound".equals(code)) {
            throw new InputException("hub model " + ref.repoId() + " does not exist at " + endpoint
                    + " (HTTP 404 RepoNotFound); check the id, or set HF_TOKEN if it is private");
        }
        if ("RevisionNotFound".equals(code)) {
            throw new InputException("hub model " + ref.repoId() + " has no revision '" + revision
                    + "' (HTTP 404 RevisionNotFound); check the branch, tag or commit after '@'");
        }
        String commit = header(response, "x-repo-commit");
        return RemoteFile.missing(fileName, HubRef.isCommitHash(commit) ? commit : null);
    }

    private static String errorCode(HttpResponse<?> response) {
        String code = header(response, "x-error-code");
        return code == null ? "" : " " + code;
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static URI location(HttpResponse<?> response) {
        String location = header(response, "location");
        if (location == null) {
            throw new ApertureException("HTTP " + response.statusCode() + " redirect without Location from "
                    + response.uri());
        }
        return URI.create(location);
    }

    private static String header(HttpResponse<?> response, String name) {
        Optional<String> value = response.headers().firstValue(name);
        return value.orElse(null);
    }

    private static long parseSize(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    @Override
    public void close() {
        http.close();
    }
}
