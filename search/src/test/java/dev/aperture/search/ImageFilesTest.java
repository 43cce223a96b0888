package dev.aperture.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path root;

    @Test
    void findsImagesInNestedFoldersSkippingHiddenAndNonImageFiles() throws IOException {
        List<Path> images = TestImages.writeImages(root, 8, 1);
        Files.writeString(root.resolve("notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".thumbnails"));
        TestImages.writeImage(root.resolve(".thumbnails/hidden.png"), new Random(2));
        TestImages.writeImage(root.resolve("a/.hidden.png"), new Random(3));
        TestImages.writeImage(root.resolve("c/UPPER.JPG.png"), new Random(4));

        List<Path> found = ImageFiles.find(List.of(root), false);

        assertEquals(9, found.size(), found.toString());
        assertTrue(found.containsAll(images.stream().map(p -> p.toAbsolutePath().normalize()).toList()));
        assertFalse(found.stream().anyMatch(p -> p.toString().contains(".thumbnails") || p.endsWith(".hidden.png")));
    }

    @Test
    void folderLinksAreSkippedUnlessFollowedAndALoopEnds() throws IOException {
        TestImages.writeImages(root.resolve("photos"), 4, 5);
        Path outside = root.resolve("outside");
        TestImages.writeImages(outside, 2, 6);
        Files.createSymbolicLink(root.resolve("photos/a/loop"), root.resolve("photos"));   // a/loop -> photos
        Files.createSymbolicLink(root.resolve("photos/elsewhere"), outside);

        List<Path> notFollowed = ImageFiles.find(List.of(root.resolve("photos")), false);
        List<Path> followed = ImageFiles.find(List.of(root.resolve("photos")), true);

        assertEquals(4, notFollowed.size(), notFollowed.toString());
        // The loop is walked once at most; the linked folder outside adds its 2 images once.
        assertEquals(6, followed.size(), followed.toString());
        assertTrue(followed.stream().noneMatch(p -> p.toString().contains("loop")), followed.toString());
    }
}
