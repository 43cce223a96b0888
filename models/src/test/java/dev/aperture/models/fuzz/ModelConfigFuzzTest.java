package dev.aperture.models.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aperture.core.ApertureException;
import dev.aperture.models.clip.ClipConfig;
import dev.aperture.models.image.ImageLimits;
import dev.aperture.models.image.ImagePreprocessor;
import dev.aperture.models.image.ImageProcessorConfig;
import dev.aperture.testkit.CorpusMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz targets for the JSON configs of a model folder: {@code config.json} and {@code preprocessor_config.json}.
 * A preprocessor config that loads must also preprocess a small image within the limits, so sizes in the config
 * cannot smuggle in a huge allocation. Corpora: {@code ModelConfigFuzzTestInputs/<method>/}.
 */
@Tag("slow")
class ModelConfigFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir();
    private static final BufferedImage IMAGE = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    /** One megapixel: what the fuzzed preprocessor may allocate per image. */
    private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 64L << 20);

    @FuzzTest(maxDuration = "30s")
    void parseClipConfig(byte[] bytes) {
        try {
            ClipConfig config = ClipConfig.load(FuzzFiles.write(DIR.resolve("config.json"), bytes));
            config.toString();
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void parsePreprocessorConfig(byte[] bytes) {
        try {
            ImageProcessorConfig config = ImageProcessorConfig.load(
                    FuzzFiles.write(DIR.resolve("preprocessor_config.json"), bytes));
            ImagePreprocessor preprocessor = new ImagePreprocessor(config, LIMITS);
            float[] pixels = preprocessor.preprocess(IMAGE);
            assertEquals(3L * preprocessor.outputHeight() * preprocessor.outputWidth(), pixels.length);
        } catch (ApertureException refused) {
            // the contract: a typed refusal
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedClipConfigsLoadOrAreRefusedWithATypedError() {
        CorpusMutator.run(ModelConfigFuzzTest.class, "parseClipConfig", 1 << 14, this::parseClipConfig);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedPreprocessorConfigsWorkOrAreRefusedWithATypedError() {
        CorpusMutator.run(ModelConfigFuzzTest.class, "parsePreprocessorConfig", 1 << 14,
                this::parsePreprocessorConfig);
    }
}
