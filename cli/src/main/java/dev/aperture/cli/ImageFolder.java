package dev.aperture.cli;

import dev.aperture.core.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The image files under a folder, recursively, in a stable order (sorted by path), so that a folder gives the same
 * output lines on every machine. Hidden files and folders (a name starting with '.', such as {@code .DS_Store} or
 * {@code .thumbnails}) are skipped, and so is every file whose extension is not an image format's: a photo folder
 * holds sidecars ({@code .xmp}, {@code .json}) that are not worth an error line each.
 */
final class ImageFolder {
    /** Extensions of the formats the decoder reads, lower case; HEIC/AVIF are listed so they are refused loudly. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "jfif", "png", "bmp", "gif", "wbmp",
            "webp", "tif", "tiff", "heic", "heif", "avif");

    private ImageFolder() {
    }

    /** The image files under {@code folder}, sorted; an unreadable folder is an {@link InputException}. */
    static List<Path> list(Path folder) {
        List<Path> images = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(folder) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !isHidden(file) && hasImageExtension(file)) {
                        images.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new InputException(folder + ": cannot list image folder: " + e.getMessage(), e);
        }
        images.sort(null);
        return images;
    }

    static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** {@code path} itself when it is a file, else the images under it. */
    static List<Path> expand(Path path) {
        return Files.isDirectory(path) ? list(path) : List.of(path);
    }
}
