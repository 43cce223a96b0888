package dev.aperture.models.source;

import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.convert.CheckpointConverter;
import dev.aperture.models.convert.ConversionResult;
import dev.aperture.models.convert.ConvertOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code convert} of a hub id laid out like openai/clip-vit-base-patch32 (main has only pytorch_model.bin): the
 * weights come from the conversion pull request when there is one, else from the .bin, and either way the output
 * holds clip-tiny's tensors and files.
 */
class ConvertFromHubTest {
    @TempDir
    Path cacheDir;
    @TempDir
    Path out;

    @ParameterizedTest(name = "with a conversion pull request: {0}")
    @ValueSource(booleans = {true, false})
    void aHubIdWithOnlyPickleWeightsConvertsToClipTinysTensors(boolean withConversion) throws Exception {
        try (Patch32LikeHub patch32 = Patch32LikeHub.start(withConversion)) {
            HubOptions hub = new HubOptions(patch32.hub().endpoint(), null, cacheDir, false, DownloadListener.quiet(),
                    ModelFiles.clip(), Duration.ofSeconds(10));
            ConversionResult result = CheckpointConverter.convert(Patch32LikeHub.REPO, out,
                    ConvertOptions.defaults().withHub(hub));

            assertEquals(List.of("model.safetensors"), result.weightFiles());
            assertTrue(result.copiedFiles().containsAll(Patch32LikeHub.SMALL_FILES), result.copiedFiles().toString());
            assertTrue(result.source().toString().endsWith(withConversion ? "model.safetensors" : "pytorch_model.bin"),
                    result.source().toString());
            try (TensorSource converted = Checkpoints.open(out);
                 TensorSource expected = Checkpoints.open(FakeHub.fixture("clip-tiny").resolve("model.safetensors"))) {
                for (String name : expected.names()) {
                    assertArrayEquals(expected.tensor(name).data().toArray(ValueLayout.JAVA_BYTE),
                            converted.tensor(name).data().toArray(ValueLayout.JAVA_BYTE), name);
                }
            }
        }
    }
}
