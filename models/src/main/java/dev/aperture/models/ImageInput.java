package dev.aperture.models;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image to embed or classify: a file, encoded bytes (PNG, JPEG, BMP, GIF) or an already decoded image.
 * {@link #name()} is what errors and the CLI's output call it.
 */
public sealed interface ImageInput {

    /** How the image is named in messages and results. */
    String name();

    /** An image file. */
    static ImageInput of(Path file) {
        return new FromFile(file);
    }

    /** Encoded image bytes; {@code name} is used in messages (e.g. where the bytes came from). */
    static ImageInput of(byte[] encoded, String name) {
        return new FromBytes(encoded.clone(), name);
    }

    /** A decoded image. */
    static ImageInput of(BufferedImage image) {
        return new FromBufferedImage(image);
    }

    record FromFile(Path file) implements ImageInput {
        public FromFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String name() {
            return file.toString();
        }
    }

    record FromBytes(byte[] encoded, String name) implements ImageInput {
        public FromBytes {
            Objects.requireNonNull(encoded, "encoded");
            Objects.requireNonNull(name, "name");
        }
    }

    record FromBufferedImage(BufferedImage image) implements ImageInput {
        public FromBufferedImage {
            Objects.requireNonNull(image, "image");
        }

        @Override
        public String name() {
            return "BufferedImage " + image.getWidth() + "x" + image.getHeight();
        }
    }
}
