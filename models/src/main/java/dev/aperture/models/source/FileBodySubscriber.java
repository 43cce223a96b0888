package dev.aperture.models.source;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives a response body straight into a file (appending when resuming) and remembers when the last bytes
 * arrived, so the downloading thread can notice a stalled connection and {@link #abort()} it: a blocking
 * InputStream read would wait forever on a server that stops sending without closing.
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {

    private final Path file;
    private final boolean append;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private volatile Flow.Subscription subscription;
    private volatile long bytesWritten;
    private volatile long lastDataNanos = System.nanoTime();
    private FileChannel channel;
    private boolean aborted;

    FileBodySubscriber(Path file, boolean append) {
        this.file = file;
        this.append = append;
    }

    /** True when this body continues a partial file (a 206 answer to a Range request). */
    boolean append() {
        return append;
    }

    /** Bytes written by this response so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    /** System.nanoTime() of the last data received (or of the start). */
    long lastDataNanos() {
        return lastDataNanos;
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        try {
            synchronized (writeLock) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            subscription.cancel();
            result.completeExceptionally(new WriteFailure(e));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            synchronized (writeLock) {
                if (aborted) {
                    return;
                }
                for (ByteBuffer buffer : buffers) {
                    while (buffer.hasRemaining()) {
                        bytesWritten += channel.write(buffer);
                    }
                }
            }
        } catch (IOException e) {
            abort();
            result.completeExceptionally(new WriteFailure(e));
            return;
        }
        lastDataNanos = System.nanoTime();
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        closeChannel();
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        closeChannel();
        result.complete(bytesWritten);
    }

    /** Stops the transfer: cancels the subscription (dropping the connection) and closes the file. */
    void abort() {
        synchronized (writeLock) {
            aborted = true;
        }
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        closeChannel();
    }

    private void closeChannel() {
        synchronized (writeLock) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // The bytes already written are what the next attempt resumes from; nothing else to do.
                }
                channel = null;
            }
        }
    }

    /** Writing the local file failed (disk full, permissions): not a network problem, so not retried. */
    static final class WriteFailure extends RuntimeException {
        WriteFailure(IOException cause) {
            super(cause);
        }
    }
}
