package dev.aperture.models.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.models.TestData;
import dev.aperture.models.image.ImageLimits;
import dev.aperture.models.image.ImagePreprocessor;
import dev.aperture.testkit.CorpusMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for image decoding and CLIP preprocessing on arbitrary bytes (PNG, JPEG, GIF, BMP seeds): either
 * the exact output size of finite values, or a typed refusal. The limits are tighter than the defaults (1 MP,
 * 16 MB) so that mutated headers exercise the limit checks instead of the garbage collector.
 * Corpus: {@code ImageFuzzTestInputs/preprocessBytes/}.
 */
@Tag("slow")
class ImageFuzzTest {
    private static final ImagePreprocessor PREPROCESSOR =
            ImagePreprocessor.load(TestData.clipTiny(), new ImageLimits(1 << 20, 16L << 20));

    @FuzzTest(maxDuration = "30s")
    void preprocessBytes(byte[] bytes) {
        try {
            float[] pixels = PREPROCESSOR.preprocess(bytes, "fuzz-image");
            assertEquals(3 * PREPROCESSOR.outputHeight() * PREPROCESSOR.outputWidth(), pixels.length);
            for (float value : pixels) {
                assertTrue(Float.isFinite(value), "non-finite pixel value " + value);
            }
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedImagesArePreprocessedOrRefusedWithATypedError() {
        CorpusMutator.run(ImageFuzzTest.class, "preprocessBytes", 1 << 16, this::preprocessBytes);
    }
}
