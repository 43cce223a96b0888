package dev.aperture.search;

import java.nio.file.Path;

/** A file {@link ImageIndex#update} could not index, and why (a corrupt image, a limit, an unreadable file). */
public record FailedImage(Path path, String reason) {
}
