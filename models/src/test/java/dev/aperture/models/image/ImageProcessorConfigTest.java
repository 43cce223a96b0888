package dev.aperture.models.image;

import dev.aperture.models.TestData;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageProcessorConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTinyFixtureConfig() {
        ImageProcessorConfig config = ImageProcessorConfig.load(TestData.clipTiny().resolve("preprocessor_config.json"));
        assertEquals(32, config.shortestEdge());
        assertEquals(32, config.cropHeight());
        assertEquals(32, config.cropWidth());
        assertEquals(3, config.resample());
        assertEquals(0.00392156862745098, config.rescaleFactor());
        assertEquals(List.of(0.48145466, 0.4578275, 0.40821073), config.imageMean());
        assertEquals(List.of(0.26862954, 0.26130258, 0.27577711), config.imageStd());
        assertTrue(config.doResize() && config.doCenterCrop() && config.doRescale() && config.doNormalize());
    }

    @Test
    void missingFieldsTakeHfDefaults() throws IOException {
        assertEquals(ImageProcessorConfig.defaults(), load("{}"));
    }

    @Test
    void plainIntSizesMeanShortestEdgeAndSquareCrop() throws IOException {
        ImageProcessorConfig config = load("{\"size\": 336, \"crop_size\": 320}");
        assertEquals(336, config.shortestEdge());
        assertEquals(320, config.cropHeight());
        assertEquals(320, config.cropWidth());
    }

    @Test
    void heightWidthSizeMeansFixedResize() throws IOException {
        ImageProcessorConfig config = load("{\"size\": {\"height\": 40, \"width\": 50}, \"do_center_crop\": false}");
        assertEquals(0, config.shortestEdge());
        assertEquals(40, config.resizeHeight());
        assertEquals(50, config.resizeWidth());
        ImagePreprocessor preprocessor = new ImagePreprocessor(config, ImageLimits.defaults());
        assertEquals(40, preprocessor.outputHeight());
        assertEquals(50, preprocessor.outputWidth());
        assertEquals(3 * 40 * 50,
                preprocessor.preprocess(TestData.clipTiny().resolve(Fixtures.IMAGE_FILES[1])).length);
    }

    @Test
    void rejectsResampleOtherThanBicubicNamingFileAndField() throws IOException {
        FormatException e = assertThrows(FormatException.class, () -> load("{\"resample\": 2}"));
        assertTrue(e.getMessage().contains("preprocessor_config.json") && e.getMessage().contains("'resample'"),
                e.getMessage());
    }

    @Test
    void rejectsMeanWithWrongChannelCount() {
        FormatException e = assertThrows(FormatException.class, () -> load("{\"image_mean\": [0.5, 0.5]}"));
        assertTrue(e.getMessage().contains("'image_mean'"), e.getMessage());
    }

    @Test
    void rejectsZeroStd() {
        FormatException e = assertThrows(FormatException.class, () -> load("{\"image_std\": [1, 0, 1]}"));
        assertTrue(e.getMessage().contains("'image_std'"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveCrop() {
        FormatException e = assertThrows(FormatException.class,
                () -> load("{\"crop_size\": {\"height\": 0, \"width\": 4}}"));
        assertTrue(e.getMessage().contains("'crop_size.height'"), e.getMessage());
    }

    @Test
    void rejectsMalformedJson() {
        FormatException e = assertThrows(FormatException.class, () -> load("{\"size\": "));
        assertTrue(e.getMessage().contains("preprocessor_config.json"), e.getMessage());
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> ImagePreprocessor.load(dir));
        assertTrue(e.getMessage().contains("preprocessor_config.json"), e.getMessage());
    }

    @Test
    void rejectsConfigWhoseOutputSizeDependsOnTheImage() throws IOException {
        ImageProcessorConfig config = load("{\"do_center_crop\": false}");
        assertThrows(FormatException.class, () -> new ImagePreprocessor(config, ImageLimits.defaults()));
    }

    private ImageProcessorConfig load(String json) throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        Files.writeString(file, json);
        return ImageProcessorConfig.load(file);
    }
}
