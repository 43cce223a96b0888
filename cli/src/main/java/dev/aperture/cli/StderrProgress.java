package dev.aperture.cli;

import dev.aperture.models.ProgressListener;

import java.io.PrintWriter;

/** Progress of long batches on stderr: shown only when there is more than one batch of work. */
final class StderrProgress implements ProgressListener {
    private final PrintWriter err;
    private final String what;

    StderrProgress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    @Override
    public void progress(int done, int total) {
        if (done < total || total > 32) {
            err.printf("%s: %d/%d%n", what, done, total);
            err.flush();
        }
    }
}
