package dev.aperture.search;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated image folders for the index tests, and the tiny CLIP fixture they are embedded with. */
final class TestImages {
    private TestImages() {
    }

    static Path clipTiny() {
        return Path.of(System.getProperty("aperture.testdata", "../testdata"), "clip-tiny");
    }

    /**
     * {@code count} small PNGs of random colour blocks spread over nested folders ({@code a/}, {@code a/b/},
     * {@code c/}), named {@code img-N.png}; returns them in creation order.
     */
    static List<Path> writeImages(Path root, int count, long seed) throws IOException {
        Random random = new Random(seed);
        List<Path> folders = List.of(root, root.resolve("a"), root.resolve("a/b"), root.resolve("c"));
        for (Path folder : folders) {
            Files.createDirectories(folder);
        }
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = folders.get(i % folders.size()).resolve("img-" + i + ".png");
            writeImage(file, random);
            images.add(file);
        }
        return images;
    }

    /** A 24x24 PNG of four random colour blocks: different seeds give visibly different images. */
    static void writeImage(Path file, Random random) throws IOException {
        BufferedImage image = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        for (int block = 0; block < 4; block++) {
            int rgb = random.nextInt(0x1000000);
            for (int y = (block / 2) * 12; y < (block / 2) * 12 + 12; y++) {
                for (int x = (block % 2) * 12; x < (block % 2) * 12 + 12; x++) {
                    image.setRGB(x, y, rgb ^ random.nextInt(0x10));
                }
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** A file named like an image that is not one: a PNG signature followed by garbage. */
    static Path writeCorrupt(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[200];
        new Random(file.hashCode()).nextBytes(bytes);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        Files.write(file, bytes);
        return file;
    }
}
