package dev.aperture.models.source;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line per file on a terminal, redrawn in place with '\r':
 * {@code model.safetensors  42% [########            ] 251.3/605.2 MB  31.4 MB/s  ETA 0:11}.
 * Redraws at most ten times a second so a fast download does not spend its time printing.
 */
final class TerminalProgressBar implements DownloadListener {

    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private long totalBytes;
    private long resumedAt;
    private long startNanos;
    private long bytesDone;
    private long lastDrawNanos;

    /** Draws on {@code out} (normally System.err, so stdout stays clean for results). */
    public TerminalProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(String fileName, long totalBytes, long resumedAt) {
        this.totalBytes = totalBytes;
        this.resumedAt = resumedAt;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = 0;
        this.bytesDone = resumedAt;
        draw(fileName, resumedAt, startNanos);
    }

    @Override
    public void progressed(String fileName, long bytesDone) {
        this.bytesDone = bytesDone;
        long now = System.nanoTime();
        if (now - lastDrawNanos >= REDRAW_NANOS) {
            draw(fileName, bytesDone, now);
        }
    }

    @Override
    public void finished(String fileName) {
        draw(fileName, bytesDone, System.nanoTime());
        out.println();
        out.flush();
    }

    /** Ends the progress line so that the error message printed next starts on its own line. */
    @Override
    public void failed(String fileName) {
        out.println();
        out.flush();
    }

    private void draw(String fileName, long bytesDone, long now) {
        lastDrawNanos = now;
        out.print("\r" + line(fileName, bytesDone, totalBytes, bytesDone - resumedAt, now - startNanos));
        out.flush();
    }

    /** The text of one progress line; the rate counts only bytes moved in this session, not resumed ones. */
    static String line(String fileName, long bytesDone, long totalBytes, long bytesThisSession, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = bytesThisSession / seconds;
        StringBuilder text = new StringBuilder(fileName).append("  ");
        if (totalBytes > 0) {
            double fraction = Math.min(1.0, (double) bytesDone / totalBytes);
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            text.append(String.format(Locale.ROOT, "%3d%% [", Math.round(fraction * 100)))
                    .append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(megabytes(bytesDone)).append('/').append(megabytes(totalBytes)).append(" MB");
        } else {
            text.append(megabytes(bytesDone)).append(" MB");
        }
        text.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / 1e6));
        if (totalBytes > 0 && rate > 0 && bytesDone < totalBytes) {
            long eta = (long) ((totalBytes - bytesDone) / rate);
            text.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        }
        return text.toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
