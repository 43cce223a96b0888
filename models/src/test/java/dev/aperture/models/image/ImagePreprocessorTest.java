package dev.aperture.models.image;

import dev.aperture.models.TestData;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three entry points agree with each other, and one instance serves many threads. */
class ImagePreprocessorTest {

    private final ImagePreprocessor preprocessor = ImagePreprocessor.load(TestData.clipTiny());

    @Test
    void outputSizeIsTheCropSize() {
        assertEquals(32, preprocessor.outputHeight());
        assertEquals(32, preprocessor.outputWidth());
    }

    @Test
    void pathBytesAndBufferedImageInputsGiveIdenticalValues() throws Exception {
        for (String name : Fixtures.IMAGE_FILES) {
            Path file = TestData.clipTiny().resolve(name);
            float[] fromPath = preprocessor.preprocess(file);
            assertArrayEquals(fromPath, preprocessor.preprocess(Files.readAllBytes(file), name), name);
            BufferedImage decoded = ImageIO.read(file.toFile());
            assertArrayEquals(fromPath, preprocessor.preprocess(decoded), name);
        }
    }

    @Test
    void concurrentCallsOnOneInstanceGiveTheSingleThreadedResults() throws Exception {
        List<float[]> expected = new ArrayList<>();
        for (String name : Fixtures.IMAGE_FILES) {
            expected.add(preprocessor.preprocess(TestData.clipTiny().resolve(name)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (String name : Fixtures.IMAGE_FILES) {
                    Path file = TestData.clipTiny().resolve(name);
                    results.add(pool.submit(() -> preprocessor.preprocess(file)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % expected.size()), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
