package dev.aperture.cli;

import java.nio.file.Path;

/**
 * One thing to embed, classify or tokenize, from the command line or an {@code --input} file: exactly one of a
 * text or an image file.
 *
 * @param text  the text, or null for an image
 * @param image the image file (as given, relative paths against the working directory), or null for a text
 */
record InputRecord(String text, Path image) {
    InputRecord {
        if ((text == null) == (image == null)) {
            throw new IllegalArgumentException("exactly one of text and image, got " + text + " and " + image);
        }
    }

    static InputRecord ofText(String text) {
        return new InputRecord(text, null);
    }

    static InputRecord ofImage(Path image) {
        return new InputRecord(null, image);
    }

    boolean isText() {
        return text != null;
    }
}
