package dev.aperture.models;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the test fixtures are: {@code testdata/} at the repository root (see each folder's README.txt). */
public final class Fixtures {
    private Fixtures() {
    }

    /** A path inside testdata/, e.g. {@code Fixtures.path("clip-tiny/config.json")}. */
    public static Path path(String relative) {
        String root = System.getProperty("aperture.testdata");
        if (root == null) {
            throw new IllegalStateException("System property aperture.testdata is not set (see the root pom's surefire configuration)");
        }
        Path path = Path.of(root).resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("Missing fixture " + path);
        }
        return path;
    }
}
