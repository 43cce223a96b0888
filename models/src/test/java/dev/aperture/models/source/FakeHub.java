package dev.aperture.models.source;

import dev.aperture.models.TestData;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for huggingface.co on 127.0.0.1, serving one repository from a folder the way the hub
 * does: {@code HEAD/GET /{repo}/resolve/{revision}/{file}} answer with X-Repo-Commit and an ETag; small files
 * are served directly with their git blob sha1 as ETag; *.safetensors files are LFS: a 302 to a second server
 * (the "CDN", another port, so another origin) with X-Linked-Etag = sha256 and X-Linked-Size. The CDN honours
 * {@code Range: bytes=N-}. Faults can be switched on: gating (401 without the right token), corrupt bytes, a
 * connection dropped after N bytes. Every request is recorded.
 */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One request as the fake hub or its CDN saw it. */
    record Request(String server, String method, String path, String range, String authorization) {
    }

    private final String repoId;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final HttpServer hub;
    private final HttpServer cdn;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    volatile String requiredToken;
    volatile boolean corruptBlobs;
    /** Bytes after which the next {@link #dropsLeft} CDN responses are cut off. */
    volatile long dropAfterBytes = -1;
    final AtomicInteger dropsLeft = new AtomicInteger();
    /** When above 0, a cut-off response first stalls this long with the connection open. */
    volatile long stallMillis;
    /** A wait before every CDN response, to make concurrent downloads overlap. */
    volatile long cdnDelayMillis;

    FakeHub(String repoId) throws IOException {
        this.repoId = repoId;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        // Several handler threads, so that a stalled response does not hold up the client's retry.
        hub.setExecutor(Executors.newCachedThreadPool());
        cdn.setExecutor(Executors.newCachedThreadPool());
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.start();
        cdn.start();
    }

    /** A hub serving the named files of {@code folder} (those that exist there). */
    static FakeHub serving(String repoId, Path folder, String... fileNames) throws IOException {
        FakeHub fake = new FakeHub(repoId);
        for (String name : fileNames) {
            fake.put(name, Files.readAllBytes(folder.resolve(name)));
        }
        return fake;
    }

    void put(String fileName, byte[] content) {
        files.put(fileName, content);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    static boolean isLfs(String fileName) {
        return fileName.endsWith(".safetensors");
    }

    /** The ETag the hub gives a file: sha256 for LFS files, git blob sha1 for the others. */
    static String etagOf(String fileName, byte[] content) {
        if (isLfs(fileName)) {
            return hex("SHA-256", content);
        }
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] blob = new byte[header.length + content.length];
        System.arraycopy(header, 0, blob, 0, header.length);
        System.arraycopy(content, 0, blob, header.length, content.length);
        return hex("SHA-1", blob);
    }

    String etagOf(String fileName) {
        return etagOf(fileName, files.get(fileName));
    }

    private void handleHub(HttpExchange exchange) throws IOException {
        record(exchange, "hub");
        String prefix = "/" + repoId + "/resolve/";
        String path = exchange.getRequestURI().getPath();
        if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization(exchange))) {
            exchange.getResponseHeaders().set("X-Error-Code", "GatedRepo");
            reply(exchange, 401, new byte[0]);
            return;
        }
        if (!path.startsWith(prefix)) {
            exchange.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
            reply(exchange, 401, new byte[0]);
            return;
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String revision = rest.substring(0, slash);
        String fileName = rest.substring(slash + 1);
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            exchange.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
            reply(exchange, 404, new byte[0]);
            return;
        }
        exchange.getResponseHeaders().set("X-Repo-Commit", COMMIT);
        byte[] content = files.get(fileName);
        if (content == null) {
            exchange.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            reply(exchange, 404, new byte[0]);
            return;
        }
        String etag = etagOf(fileName, content);
        if (isLfs(fileName)) {
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + etag + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
            exchange.getResponseHeaders().set("ETag", "\"pointer-file-etag\"");
            exchange.getResponseHeaders().set("Location",
                    "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/" + etag);
            reply(exchange, 302, new byte[0]);
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + etag + "\"");
        reply(exchange, 200, content);
    }

    private void handleCdn(HttpExchange exchange) throws IOException {
        record(exchange, "cdn");
        if (cdnDelayMillis > 0) {
            sleep(cdnDelayMillis);
        }
        String etag = exchange.getRequestURI().getPath().substring("/blobs/".length());
        byte[] content = files.entrySet().stream()
                .filter(entry -> isLfs(entry.getKey()) && etagOf(entry.getKey(), entry.getValue()).equals(etag))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (content == null) {
            reply(exchange, 404, new byte[0]);
            return;
        }
        if (corruptBlobs) {
            content = content.clone();
            content[content.length / 2] ^= 0x5A;
        }
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        }
        byte[] body = java.util.Arrays.copyOfRange(content, from, content.length);
        int status = from > 0 ? 206 : 200;
        if (from > 0) {
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        if (dropAfterBytes >= 0 && dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.sendResponseHeaders(status, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, (int) Math.min(dropAfterBytes, body.length));
            out.flush();
            if (stallMillis > 0) {
                sleep(stallMillis); // keep the connection open, sending nothing
            }
            // Closing with fewer bytes than announced throws; the exception makes HttpServer drop the connection.
            out.close();
            return;
        }
        reply(exchange, status, body);
    }

    private void record(HttpExchange exchange, String server) {
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Range"), authorization(exchange)));
    }

    private static String authorization(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Authorization");
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            // The real hub announces a small file's size on HEAD with Content-Length.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    static Path fixture(String name) {
        return TestData.dir().resolve(name);
    }
}
