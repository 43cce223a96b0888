package dev.aperture.models;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the test fixtures are: {@code testdata/} at the repository root (each folder's README.txt says what is in it). */
public final class TestData {
    private TestData() {
    }

    /** The testdata folder, from the {@code aperture.testdata} system property the root pom sets. */
    public static Path dir() {
        String property = System.getProperty("aperture.testdata");
        Path dir = property != null ? Path.of(property) : Path.of("../testdata");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Fixtures not found at " + dir.toAbsolutePath() + " (set -Daperture.testdata)");
        }
        return dir;
    }

    /** The tiny random-weight CLIP with every intermediate output. */
    public static Path clipTiny() {
        return dir().resolve("clip-tiny");
    }

    /** The ViT-B/32-sized CLIP whose weights the tests regenerate. */
    public static Path clipB32() {
        return dir().resolve("clip-b32-synthetic");
    }
}
