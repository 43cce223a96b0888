package dev.aperture.models.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.TestData;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for huggingface.co on 127.0.0.1, serving one repository the way the hub does:
 * <ul>
 *   <li>{@code HEAD/GET /{repo}/resolve/{revision}/{file}} answer with X-Repo-Commit and an ETag, for any of its
 *       revisions (main, pull request refs such as {@code refs/pr/66}, sent as one segment {@code refs%2Fpr%2F66},
 *       or a revision's commit hash), each with its own commit, parent and files. Small files are served directly
 *       with their git blob sha1 as ETag; *.safetensors and *.bin files are LFS: a 302 to a second server (the
 *       "CDN", another port, so another origin) with X-Linked-Etag = sha256 and X-Linked-Size. The CDN honours
 *       {@code Range: bytes=N-}.</li>
 *   <li>{@code GET /api/models/{repo}/discussions?p=N}: its discussions, {@link #discussionsPerPage} a page, as
 *       {@code {"discussions": [...], "count", "start"}}.</li>
 *   <li>{@code GET /api/models/{repo}/commits/{revision}}: the revision's commit, then its parent, newest first.</li>
 * </ul>
 * Faults can be switched on: gating (401 without the right token), corrupt bytes, a connection dropped after N
 * bytes, discussions refused, an endless or oversized discussion listing, a revision that moves. Every request is
 * recorded.
 */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    /** Main's parent: an older commit of the repository. */
    static final String PARENT_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake hub or its CDN saw it; {@code path} is the raw path ('/' in a segment as %2F). */
    record Request(String server, String method, String path, String query, String range, String authorization) {
    }

    /** A discussion or pull request as the discussions API lists it. */
    record Discussion(int num, String title, String status, boolean isPullRequest, String author) {
    }

    /** One revision: a branch or a pull request's ref, its head commit, that commit's parent, and its files. */
    static final class Revision {
        final String name;
        final String commit;
        final String parent;
        final Map<String, byte[]> files = Collections.synchronizedMap(new LinkedHashMap<>());

        Revision(String name, String commit, String parent) {
            this.name = name;
            this.commit = commit;
            this.parent = parent;
        }

        Revision put(String fileName, byte[] content) {
            files.put(fileName, content);
            return this;
        }

        /** Adds the named files of {@code folder}. */
        Revision putFrom(Path folder, String... fileNames) throws IOException {
            for (String name : fileNames) {
                put(name, Files.readAllBytes(folder.resolve(name)));
            }
            return this;
        }
    }

    private final String repoId;
    private final List<Revision> revisions = new CopyOnWriteArrayList<>();
    private final List<Discussion> discussions = new CopyOnWriteArrayList<>();
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
    /** Discussions a page of the discussions API holds. */
    volatile int discussionsPerPage = 50;
    /** Not 200: the status the discussions API answers with (403 where discussions are disabled). */
    volatile int discussionsStatus = 200;
    /** Not -1: the total the discussions API claims, whatever it holds (a hostile server's endless listing). */
    volatile long claimedDiscussionCount = -1;
    /** Bytes of padding added to every discussions page (an answer too large to hold). */
    volatile int discussionsPaddingBytes;
    /** Per revision name: the commit its commit list starts at, unlike its files (it moved in between). */
    final Map<String, String> listedHeads = new ConcurrentHashMap<>();
    /** Every discussions page is the first one again (with {@link #claimedDiscussionCount}: a listing without end). */
    volatile boolean repeatFirstPage;

    FakeHub(String repoId) throws IOException {
        this.repoId = repoId;
        revisions.add(new Revision("main", COMMIT, PARENT_COMMIT));
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

    /** A hub serving the named files of {@code folder} (those that exist there) on main. */
    static FakeHub serving(String repoId, Path folder, String... fileNames) throws IOException {
        FakeHub fake = new FakeHub(repoId);
        fake.main().putFrom(folder, fileNames);
        return fake;
    }

    /** The main branch, at {@link #COMMIT}. */
    Revision main() {
        return revisions.getFirst();
    }

    /** Puts a file on main. */
    void put(String fileName, byte[] content) {
        main().put(fileName, content);
    }

    /** Adds a pull request: its revision {@code refs/pr/<num>} and its entry in the discussions, listed last. */
    Revision addPullRequest(int num, String author, String status, String commit, String parent) {
        Revision revision = new Revision("refs/pr/" + num, commit, parent);
        revisions.add(revision);
        discussions.add(new Discussion(num, ConversionPullRequest.TITLE, status, true, author));
        return revision;
    }

    /** Adds a discussion that is no pull request, listed last. */
    void addDiscussion(int num, String title, String author) {
        discussions.add(new Discussion(num, title, "open", false, author));
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
        return fileName.endsWith(".safetensors") || fileName.endsWith(".bin");
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

    /** The ETag of one of main's files. */
    String etagOf(String fileName) {
        return etagOf(fileName, main().files.get(fileName));
    }

    private void handleHub(HttpExchange exchange) throws IOException {
        record(exchange, "hub");
        String path = exchange.getRequestURI().getRawPath();
        if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization(exchange))) {
            exchange.getResponseHeaders().set("X-Error-Code", "GatedRepo");
            reply(exchange, 401, new byte[0]);
            return;
        }
        String api = "/api/models/" + repoId + "/";
        String resolve = "/" + repoId + "/resolve/";
        if (path.equals(api + "discussions")) {
            answerDiscussions(exchange);
        } else if (path.startsWith(api + "commits/")) {
            answerCommits(exchange, decode(path.substring((api + "commits/").length())));
        } else if (path.startsWith(resolve)) {
            String rest = path.substring(resolve.length());
            int slash = rest.indexOf('/');
            answerFile(exchange, decode(rest.substring(0, slash)), decode(rest.substring(slash + 1)));
        } else {
            exchange.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
            reply(exchange, 401, new byte[0]);
        }
    }

    private void answerFile(HttpExchange exchange, String revisionName, String fileName) throws IOException {
        Optional<Revision> revision = revision(revisionName);
        if (revision.isEmpty()) {
            exchange.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
            reply(exchange, 404, new byte[0]);
            return;
        }
        exchange.getResponseHeaders().set("X-Repo-Commit", revision.get().commit);
        byte[] content = revision.get().files.get(fileName);
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

    /** The hub's commit list: the revision's commit, then its parent (as far back as this fake knows). */
    private void answerCommits(HttpExchange exchange, String revisionName) throws IOException {
        Optional<Revision> revision = revision(revisionName);
        if (revision.isEmpty()) {
            exchange.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
            reply(exchange, 404, new byte[0]);
            return;
        }
        String head = listedHeads.getOrDefault(revision.get().name, revision.get().commit);
        ArrayNode commits = JSON.createArrayNode();
        for (String id : List.of(head, revision.get().parent)) {
            commits.addObject().put("id", id).put("title", "commit " + id.substring(0, 7))
                    .putArray("authors").addObject().put("user", "someone");
        }
        replyJson(exchange, commits.toString());
    }

    private void answerDiscussions(HttpExchange exchange) throws IOException {
        if (discussionsStatus != 200) {
            reply(exchange, discussionsStatus, new byte[0]);
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        int asked = query != null && query.startsWith("p=") ? Integer.parseInt(query.substring(2)) : 0;
        int page = repeatFirstPage ? 0 : asked;
        int start = Math.min(discussions.size(), page * discussionsPerPage);
        int end = Math.min(discussions.size(), start + discussionsPerPage);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode listed = answer.putArray("discussions");
        for (Discussion discussion : discussions.subList(start, end)) {
            ObjectNode entry = listed.addObject();
            entry.put("num", discussion.num()).put("title", discussion.title()).put("status", discussion.status())
                    .put("isPullRequest", discussion.isPullRequest()).put("createdAt", "2024-03-20T00:00:00.000Z");
            entry.putObject("author").put("name", discussion.author());
            entry.putObject("repo").put("name", repoId).put("type", "model");
        }
        answer.put("count", claimedDiscussionCount >= 0 ? claimedDiscussionCount : discussions.size());
        answer.put("start", start);
        if (discussionsPaddingBytes > 0) {
            answer.put("padding", "x".repeat(discussionsPaddingBytes));
        }
        replyJson(exchange, answer.toString());
    }

    /** A revision by name, or by the commit it points to. */
    private Optional<Revision> revision(String nameOrCommit) {
        return revisions.stream().filter(r -> r.name.equals(nameOrCommit) || r.commit.equals(nameOrCommit))
                .findFirst();
    }

    private void handleCdn(HttpExchange exchange) throws IOException {
        record(exchange, "cdn");
        if (cdnDelayMillis > 0) {
            sleep(cdnDelayMillis);
        }
        String etag = exchange.getRequestURI().getPath().substring("/blobs/".length());
        byte[] content = revisions.stream().flatMap(revision -> revision.files.entrySet().stream())
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
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Range"),
                authorization(exchange)));
    }

    private static String authorization(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Authorization");
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void replyJson(HttpExchange exchange, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        reply(exchange, 200, json.getBytes(StandardCharsets.UTF_8));
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
