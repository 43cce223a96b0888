package dev.aperture.cli;

import dev.aperture.models.convert.ConversionListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of {@code aperture convert} on stderr, one line per tenth of the bytes written and then verified:
 * {@code convert: writing 120/600 tensors, 1.2 GiB/3.9 GiB}. Shown only for checkpoints of at least
 * {@link #MIN_BYTES} bytes: smaller ones convert in a few seconds, and their progress would be noise.
 */
final class ConvertProgress implements ConversionListener {
    /** 100 MB: about a second of writing and verifying on an ordinary disk. */
    static final long MIN_BYTES = 100_000_000L;
    private static final int STEPS = 10;

    private final PrintWriter err;
    private Phase phase;
    private int stepsShown;

    ConvertProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void progress(Phase phase, int tensorsDone, int tensorsTotal, long bytesDone, long bytesTotal) {
        if (bytesTotal < MIN_BYTES) {
            return;
        }
        if (phase != this.phase) {
            this.phase = phase;
            stepsShown = 0;
        }
        int step = (int) (bytesDone * STEPS / bytesTotal);
        if (step > stepsShown || tensorsDone == tensorsTotal) {
            stepsShown = step;
            err.printf(Locale.ROOT, "convert: %s %d/%d tensors, %s/%s%n", phase.name().toLowerCase(Locale.ROOT),
                    tensorsDone, tensorsTotal, InspectCommand.humanBytes(bytesDone), InspectCommand.humanBytes(bytesTotal));
            err.flush();
        }
    }
}
