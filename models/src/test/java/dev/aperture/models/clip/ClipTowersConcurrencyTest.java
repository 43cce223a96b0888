package dev.aperture.models.clip;

import dev.aperture.models.TestData;
import dev.aperture.models.Npy;
import dev.aperture.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Many threads may encode with one ClipTowers at once and get exactly the results of sequential calls. */
class ClipTowersConcurrencyTest {

    @Test
    void concurrentEncodesEqualSequentialOnes() throws Exception {
        var fixture = TestData.clipTiny();
        int[][] ids = Npy.read(fixture.resolve("golden/input_ids.npy")).intRows();
        int[][] mask = Npy.read(fixture.resolve("golden/attention_mask.npy")).intRows();
        float[][] pixels = Npy.read(fixture.resolve("golden/pixel_values.npy")).floatRows();
        try (CpuBackend backend = new CpuBackend(2);
             ClipTowers towers = ClipTowers.load(fixture, backend)) {
            float[][] expectedText = towers.encodeText(ids, mask);
            float[][] expectedImages = towers.encodeImages(pixels);
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                List<Future<float[][]>> texts = new ArrayList<>();
                List<Future<float[][]>> images = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    texts.add(callers.submit(() -> towers.encodeText(ids, mask)));
                    images.add(callers.submit(() -> towers.encodeImages(pixels)));
                }
                for (int i = 0; i < 12; i++) {
                    assertArrayEquals(expectedText, texts.get(i).get());
                    assertArrayEquals(expectedImages, images.get(i).get());
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }
}
