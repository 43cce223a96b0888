package dev.aperture.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --index}: the image index folder {@code aperture index} writes and {@code aperture search} reads. */
final class IndexLocation {
    @Option(names = "--index", paramLabel = "PATH",
            description = "The image index folder (default: $XDG_CACHE_HOME/aperture/image-index, "
                    + "else ~/.cache/aperture/image-index).")
    Path index;

    /** --index, or the per-user default, so that `aperture index DIR` then `aperture search TEXT` just work. */
    Path folder() {
        if (index != null) {
            return index;
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path cacheRoot = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return cacheRoot.resolve("aperture").resolve("image-index");
    }

    /**
     * How the index records a model: a local folder by its absolute path (so that {@code testdata/clip-tiny} and
     * {@code ./testdata/clip-tiny} are one model), a hub id as given.
     */
    static String modelId(String model) {
        Path local = Path.of(model);
        return Files.isDirectory(local) ? local.toAbsolutePath().normalize().toString() : model;
    }
}
