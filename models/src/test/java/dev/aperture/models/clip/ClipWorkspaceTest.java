package dev.aperture.models.clip;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.models.CountingBackend;
import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A forward pass allocates its activations once, for its batch shape, and reuses them in every layer; a plain
 * encode downloads only the features. Measured on clip-tiny (2 layers per tower) against the same weights read as
 * a 1-layer model (the second layer's tensors are then ignored).
 */
class ClipWorkspaceTest {
    private static final int[][] IDS = Npy.read(TestData.clipTiny().resolve("golden/input_ids.npy")).intRows();
    private static final int[][] MASK = Npy.read(TestData.clipTiny().resolve("golden/attention_mask.npy")).intRows();
    private static final float[][] PIXELS =
            Npy.read(TestData.clipTiny().resolve("golden/pixel_values.npy")).floatRows();

    private static CountingBackend backend;
    private static ClipTowers twoLayers;
    private static ClipTowers oneLayer;

    @BeforeAll
    static void load() {
        backend = new CountingBackend(new CpuBackend(1));
        ClipConfig config = ClipConfig.load(TestData.clipTiny().resolve("config.json"));
        assertEquals(2, config.text().numHiddenLayers());
        assertEquals(2, config.vision().numHiddenLayers());
        try (SafeTensors weights = SafeTensors.open(TestData.clipTiny().resolve("model.safetensors"))) {
            twoLayers = ClipTowers.load(weights, config, backend);
            oneLayer = ClipTowers.load(weights, withOneLayerPerTower(config), backend);
        }
    }

    @AfterAll
    static void close() {
        twoLayers.close();
        oneLayer.close();
        backend.close();
    }

    private static ClipConfig withOneLayerPerTower(ClipConfig config) {
        ClipConfig.TextConfig t = config.text();
        ClipConfig.VisionConfig v = config.vision();
        return new ClipConfig(
                new ClipConfig.TextConfig(t.vocabSize(), t.hiddenSize(), t.intermediateSize(), 1,
                        t.numAttentionHeads(), t.maxPositionEmbeddings(), t.hiddenAct(), t.layerNormEps(),
                        t.bosTokenId(), t.eosTokenId(), t.padTokenId()),
                new ClipConfig.VisionConfig(v.hiddenSize(), v.intermediateSize(), 1, v.numAttentionHeads(),
                        v.numChannels(), v.imageSize(), v.patchSize(), v.hiddenAct(), v.layerNormEps()),
                config.projectionDim(), config.logitScaleInitValue());
    }

    /** Matrices created by one call. */
    private static int matricesCreatedBy(ClipTowers towers, Consumer<ClipTowers> call) {
        backend.reset();
        call.accept(towers);
        return backend.created();
    }

    @Test
    void imageBatchCreatesAsManyMatricesWhateverTheLayerCount() {
        Consumer<ClipTowers> encode = towers -> towers.encodeImages(PIXELS);
        assertEquals(matricesCreatedBy(oneLayer, encode), matricesCreatedBy(twoLayers, encode));
    }

    @Test
    void textBatchCreatesAsManyMatricesWhateverTheLayerCount() {
        Consumer<ClipTowers> encode = towers -> towers.encodeText(IDS, MASK);
        assertEquals(matricesCreatedBy(oneLayer, encode), matricesCreatedBy(twoLayers, encode));
    }

    @Test
    void plainEncodingDownloadsOnlyTheFeatures() {
        backend.reset();
        twoLayers.encodeImages(PIXELS);
        twoLayers.encodeText(IDS, MASK);
        assertEquals(2, backend.downloads(), "one download of the projected rows per tower");
    }
}
