package dev.aperture.core.safetensors;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures through the {@code aperture.testdata} system property (set by the root pom). */
final class TestData {
    private TestData() {
    }

    static Path clipTiny(String file) {
        String root = System.getProperty("aperture.testdata", "../testdata");
        Path path = Path.of(root, "clip-tiny", file);
        if (!Files.exists(path)) {
            throw new IllegalStateException("Fixture missing: " + path + " (is -Daperture.testdata set?)");
        }
        return path;
    }
}
