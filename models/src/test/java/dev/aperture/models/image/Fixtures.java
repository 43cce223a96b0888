package dev.aperture.models.image;

/** The six fixture images of clip-tiny, in golden.json order (files are under {@code TestData.clipTiny()}). */
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
}
