package dev.aperture.models;

/** Told how far a long batch has got: called after each internal batch, from the calling thread. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} inputs are finished. */
    void progress(int done, int total);
}
