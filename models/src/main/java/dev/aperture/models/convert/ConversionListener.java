package dev.aperture.models.convert;

/**
 * Told how far a conversion has got, after each tensor is written and again after each is verified, from the
 * converting thread. Tensors differ in size by orders of magnitude (a token embedding against a layer norm's bias),
 * so both the tensor count and the byte count are given; bytes are those of the converted tensors.
 */
@FunctionalInterface
public interface ConversionListener {

    /** A listener that ignores progress. */
    ConversionListener NONE = (phase, tensorsDone, tensorsTotal, bytesDone, bytesTotal) -> { };

    /** What a conversion is doing: writing the new files, then reading them back to compare with the source. */
    enum Phase { WRITING, VERIFYING }

    /** {@code tensorsDone} of {@code tensorsTotal} tensors ({@code bytesDone} of {@code bytesTotal}) are through {@code phase}. */
    void progress(Phase phase, int tensorsDone, int tensorsTotal, long bytesDone, long bytesTotal);
}
