package dev.aperture.models.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test fixtures through the {@code aperture.testdata} system property. */
final class Fixtures {

    static final String[] IMAGE_FILES = {
        "images/gradient_64x64_rgb.png",
        "images/shapes_80x60_rgb.png",
        "images/noise_64x40_rgb.png",
        "images/radial_40x56_gray.png",
        "images/alpha_48x48_rgba.png",
        "images/shapes_80x60_rgb_q90.jpg",
    };

    /** Index of the one JPEG; the others are PNG. */
    static final int JPEG_INDEX = 5;

    private Fixtures() {
    }

    static Path testdata() {
        String property = System.getProperty("aperture.testdata");
        Path dir = property != null ? Path.of(property) : Path.of("../testdata");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + " (set -Daperture.testdata)");
        }
        return dir;
    }

    static Path clipTiny() {
        return testdata().resolve("clip-tiny");
    }

    static Path clipB32() {
        return testdata().resolve("clip-b32-synthetic");
    }
}
