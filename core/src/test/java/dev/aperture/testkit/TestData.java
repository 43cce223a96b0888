package dev.aperture.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures through the {@code aperture.testdata} system property (set by the root pom). */
public final class TestData {
    private TestData() {
    }

    /** The fixtures' root folder, {@code testdata/}. */
    public static Path dir() {
        return existing(Path.of("."));
    }

    /** A file of the tiny CLIP fixture, {@code testdata/clip-tiny/<file>}. */
    public static Path clipTiny(String file) {
        return existing(Path.of("clip-tiny", file));
    }

    /** A file or folder of the PyTorch checkpoint fixtures, {@code testdata/checkpoints/<path>}. */
    public static Path checkpoints(String path) {
        return existing(Path.of("checkpoints", path));
    }

    private static Path existing(Path relative) {
        String root = System.getProperty("aperture.testdata", "../testdata");
        Path path = Path.of(root).resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("Fixture missing: " + path + " (is -Daperture.testdata set?)");
        }
        return path;
    }
}
