package dev.aperture.models.source;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@link ModelFiles#collect} gets files from: a local folder, a cached snapshot, or the hub (downloading
 * into the cache). One interface so that the rules for which files a model needs are written once.
 */
interface FileFetcher {

    /** The local copy of {@code fileName}, fetching it if needed; empty when this source does not have it. */
    Optional<Path> fetch(String fileName);

    /** Whether the file exists at the source, without fetching it (used only to explain a failure). */
    boolean exists(String fileName);
}
