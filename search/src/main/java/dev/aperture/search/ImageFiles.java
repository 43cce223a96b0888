package dev.aperture.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the image files under folders, for {@link ImageIndex#update}: recursively, skipping hidden files and folders
 * (names starting with a dot) and files whose extension is not an image format Aperture decodes.
 *
 * <p>Symbolic links to files are followed. Links to folders are followed only when asked, and then each real
 * folder is visited once, however many links lead to it, so a link loop ends.
 */
public final class ImageFiles {
    /** The extensions taken as images: the formats {@code ImageInput} decodes (PNG, JPEG, BMP, GIF). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFiles() {
    }

    /**
     * The image files under {@code roots} (a root may also be an image file itself), absolute, normalized, sorted,
     * each once.
     *
     * @param followFolderLinks whether symbolic links to folders are walked into
     * @throws UncheckedIOException when a root cannot be read
     */
    public static List<Path> find(List<Path> roots, boolean followFolderLinks) {
        Set<Path> found = new HashSet<>();
        // Real paths of the folders walked so far: a folder reached again (through a link, or a loop) is skipped.
        Set<Path> visitedFolders = new HashSet<>();
        Set<FileVisitOption> options = followFolderLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
                : EnumSet.noneOf(FileVisitOption.class);
        for (Path root : roots) {
            Path start = root.toAbsolutePath().normalize();
            try {
                Files.walkFileTree(start, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes)
                            throws IOException {
                        if (!folder.equals(start) && isHidden(folder)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return visitedFolders.add(folder.toRealPath())
                                ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        // Without FOLLOW_LINKS a link arrives here with the link's own attributes: keep links to
                        // files, never walk links to folders.
                        boolean regularFile = attributes.isRegularFile()
                                || attributes.isSymbolicLink() && Files.isRegularFile(file);
                        if (regularFile && (file.equals(start) || !isHidden(file)) && isImageName(file)) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (file.equals(start)) {
                            throw e;
                        }
                        // A loop (FOLLOW_LINKS detects one through an ancestor), a dangling link or an unreadable
                        // entry below a root: not an image we could index, so not a reason to stop.
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + start + ": " + e.getMessage(), e);
            }
        }
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort(null);
        return sorted;
    }

    /** Whether the file name ends in one of {@link #EXTENSIONS}, in any case. */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }
}
