package dev.aperture.models.source;

import dev.aperture.core.ApertureException;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Downloads one file into {@code blobs/<etag>} so that the cache never holds a wrong or partial blob:
 * <ol>
 *   <li>take the blob's lock ({@code .locks/.../<etag>.lock}, FileChannel.lock, so that another process
 *       downloading the same model waits, then finds the blob done);</li>
 *   <li>write to {@code blobs/<etag>.incomplete}; when the connection drops or stalls, retry with
 *       {@code Range: bytes=<have>-} from what is on disk (the partial file also survives a crash for the next
 *       run);</li>
 *   <li>check the size and the digest the ETag names ({@link Digests}); a mismatch deletes the partial file;</li>
 *   <li>rename to {@code blobs/<etag>} atomically.</li>
 * </ol>
 */
final class BlobDownloader {

    private static final int MAX_ATTEMPTS = 5;
    private static final long POLL_MILLIS = 100;
    // FileChannel.lock is per process: threads of one JVM must also exclude each other (else
    // OverlappingFileLockException), so each lock file also gets an in-process lock.
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final HubClient client;
    private final HubCache cache;
    private final DownloadListener listener;
    private final long stallNanos;

    /** {@code stallTimeout}: how long a transfer may receive nothing before it is dropped and resumed. */
    BlobDownloader(HubClient client, HubCache cache, DownloadListener listener, Duration stallTimeout) {
        this.client = client;
        this.cache = cache;
        this.listener = listener;
        this.stallNanos = stallTimeout.toNanos();
    }

    /** Makes sure {@code blobs/<etag>} holds the verified file; downloads it unless it is already there. */
    Path ensureBlob(RemoteFile file) {
        Path blob = cache.blob(file.etag());
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        Path lockFile = cache.lockFile(file.etag());
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                path -> new ReentrantLock());
        inProcess.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            Files.createDirectories(blob.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock(); // waits while another process downloads this blob
                try {
                    if (!Files.isRegularFile(blob)) { // that process may have finished it while we waited
                        download(file, blob);
                    }
                } finally {
                    lock.release();
                }
            }
            return blob;
        } catch (IOException e) {
            throw new ApertureException("cannot write to the cache at " + blob.getParent() + ": "
                    + e.getMessage(), e);
        } finally {
            inProcess.unlock();
        }
    }

    private void download(RemoteFile file, Path blob) throws IOException {
        Path partial = cache.incompleteBlob(file.etag());
        long have = sizeOf(partial);
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(partial); // longer than the file: not a prefix of it
            have = 0;
        }
        listener.started(file.fileName(), file.size(), have);
        try {
            transferAll(file, partial, have);
            verify(file, partial);
        } catch (RuntimeException | IOException e) {
            listener.failed(file.fileName());
            throw e;
        }
        HubCache.move(partial, blob);
        listener.finished(file.fileName());
    }

    /** Attempts the transfer until the partial file is whole, resuming after each break. */
    private void transferAll(RemoteFile file, Path partial, long have) throws IOException {
        HubClient.UnreachableException lastFailure = null;
        for (int attempt = 1; (file.size() < 0 || have < file.size()) && attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                if (transfer(file, partial, have)) {
                    break;
                }
            } catch (HubClient.UnreachableException e) {
                lastFailure = e;
            }
            have = sizeOf(partial);
        }
        have = sizeOf(partial);
        if (file.size() >= 0 && have < file.size()) {
            throw new HubClient.UnreachableException("download of '" + file.fileName() + "' stopped at " + have
                    + " of " + file.size() + " bytes after " + MAX_ATTEMPTS + " attempts; the partial file " + partial
                    + " is kept and the next run resumes it", lastFailure);
        }
    }

    /**
     * One GET into the partial file, resuming at {@code have} and following redirects (to the CDN); true when the
     * server sent the whole rest, false when the transfer broke off (the bytes received are kept for the next
     * attempt). A connection that sends nothing for the timeout is abandoned as broken.
     */
    private boolean transfer(RemoteFile file, Path partial, long have) throws IOException {
        URI url = file.downloadUri();
        for (int hop = 0; hop <= HubClient.MAX_REDIRECTS; hop++) {
            DownloadHandler handler = new DownloadHandler(partial, have);
            CompletableFuture<HttpResponse<Long>> pending = client.sendAsync(client.downloadRequest(url, have),
                    handler);
            HttpResponse<Long> response = await(pending, handler, file.fileName(), have);
            if (response == null) {
                return false;
            }
            int status = response.statusCode();
            if (HubClient.isRedirect(status)) {
                url = url.resolve(HubClient.location(response));
                continue;
            }
            if (handler.wrongRange) {
                Files.delete(partial); // the server resumed elsewhere than asked: start over
                return false;
            }
            if (status == 200 || status == 206) {
                long done = (status == 206 ? have : 0) + response.body();
                return file.size() < 0 || done >= file.size();
            }
            if (status == 416 && have > 0) {
                Files.delete(partial); // the server cannot continue from our offset: start over
                return false;
            }
            if (status == 401 || status == 403) {
                throw new InputException("download of '" + file.fileName() + "' was refused (HTTP " + status
                        + "): the model is gated or private; set HF_TOKEN to an access token that may read it");
            }
            throw new ApertureException("download of '" + file.fileName() + "' failed: HTTP " + status + " from "
                    + response.uri());
        }
        throw new ApertureException("too many redirects while downloading '" + file.fileName() + "' (last: "
                + url + ")");
    }

    /**
     * Waits for a response while its body streams into the file, reporting progress; null when the transfer
     * broke off or stalled for longer than the timeout.
     */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> pending, DownloadHandler handler,
                                     String fileName, long have) {
        long startNanos = System.nanoTime();
        while (true) {
            try {
                return pending.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                FileBodySubscriber body = handler.subscriber;
                long lastData = body == null ? startNanos : body.lastDataNanos();
                if (body != null) {
                    listener.progressed(fileName, (body.append() ? have : 0) + body.bytesWritten());
                }
                if (System.nanoTime() - lastData > stallNanos) {
                    if (body != null) {
                        body.abort();
                    }
                    pending.cancel(true);
                    return null;
                }
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof FileBodySubscriber.WriteFailure write) {
                    throw new ApertureException("cannot write " + handler.partial + ": "
                            + write.getCause().getMessage(), write.getCause());
                }
                if (failed.getCause() instanceof java.net.ConnectException refused) {
                    throw new HubClient.UnreachableException("cannot connect to download '" + fileName + "': "
                            + HubClient.describe(refused), refused);
                }
                return null; // reset, closed early, timed out: resume with a Range request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.cancel(true);
                throw new ApertureException("interrupted while downloading '" + fileName + "'", e);
            }
        }
    }

    /**
     * Streams 200/206 bodies into the partial file (206 appends); discards any other body, and a 206 whose
     * Content-Range does not start where the partial file ends.
     */
    private static final class DownloadHandler implements HttpResponse.BodyHandler<Long> {
        final Path partial;
        final long have;
        volatile FileBodySubscriber subscriber;
        volatile boolean wrongRange;

        DownloadHandler(Path partial, long have) {
            this.partial = partial;
            this.have = have;
        }

        @Override
        public HttpResponse.BodySubscriber<Long> apply(HttpResponse.ResponseInfo info) {
            if (info.statusCode() != 200 && info.statusCode() != 206) {
                return HttpResponse.BodySubscribers.replacing(0L);
            }
            if (info.statusCode() == 206 && !info.headers().firstValue("content-range")
                    .map(range -> range.startsWith("bytes " + have + "-")).orElse(false)) {
                wrongRange = true;
                return HttpResponse.BodySubscribers.replacing(0L);
            }
            subscriber = new FileBodySubscriber(partial, info.statusCode() == 206);
            return subscriber;
        }
    }

    /** Deletes the partial file and fails when its size or digest is not what the hub announced. */
    private static void verify(RemoteFile file, Path partial) throws IOException {
        long size = sizeOf(partial);
        String problem = null;
        if (file.size() >= 0 && size != file.size()) {
            problem = "size " + size + " bytes, expected " + file.size();
        } else {
            String actual = Digests.mismatch(partial, file.etag());
            if (actual != null) {
                problem = "digest " + actual + ", expected the ETag " + file.etag();
            }
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            throw new FormatException("downloaded '" + file.fileName() + "' is corrupt (" + problem + ", from "
                    + file.downloadUri() + "); it was discarded, nothing was cached. Run again to retry.");
        }
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
