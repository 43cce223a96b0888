package dev.aperture.core.safetensors;

import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads the clip-tiny fixture (testdata/clip-tiny/README.txt): all weights of a transformers CLIPModel with
 * text hidden 48 / intermediate 96 / 2 layers / vocab 49408 / 77 positions, vision hidden 64 / intermediate 128 /
 * 2 layers / 32x32 images in 8x8 patches (16 + 1 positions), projection 32; F32, plus F16 and BF16 casts.
 */
class ClipTinyFixtureTest {
    private static final int TEXT_HIDDEN = 48;
    private static final int TEXT_INTERMEDIATE = 96;
    private static final int VOCAB = 49_408;
    private static final int TEXT_POSITIONS = 77;
    private static final int VISION_HIDDEN = 64;
    private static final int VISION_INTERMEDIATE = 128;
    private static final int PATCH = 8;
    private static final int VISION_POSITIONS = (32 / PATCH) * (32 / PATCH) + 1;
    private static final int PROJECTION = 32;
    private static final int LAYERS = 2;

    private static Map<String, long[]> expectedShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("logit_scale", new long[0]);
        shapes.put("text_model.embeddings.position_embedding.weight", new long[] {TEXT_POSITIONS, TEXT_HIDDEN});
        shapes.put("text_model.embeddings.token_embedding.weight", new long[] {VOCAB, TEXT_HIDDEN});
        addEncoder(shapes, "text_model", TEXT_HIDDEN, TEXT_INTERMEDIATE);
        shapes.put("text_model.final_layer_norm.bias", new long[] {TEXT_HIDDEN});
        shapes.put("text_model.final_layer_norm.weight", new long[] {TEXT_HIDDEN});
        shapes.put("text_projection.weight", new long[] {PROJECTION, TEXT_HIDDEN});
        shapes.put("vision_model.embeddings.class_embedding", new long[] {VISION_HIDDEN});
        shapes.put("vision_model.embeddings.patch_embedding.weight", new long[] {VISION_HIDDEN, 3, PATCH, PATCH});
        shapes.put("vision_model.embeddings.position_embedding.weight", new long[] {VISION_POSITIONS, VISION_HIDDEN});
        addEncoder(shapes, "vision_model", VISION_HIDDEN, VISION_INTERMEDIATE);
        for (String norm : new String[] {"post_layernorm", "pre_layrnorm"}) {
            shapes.put("vision_model." + norm + ".bias", new long[] {VISION_HIDDEN});
            shapes.put("vision_model." + norm + ".weight", new long[] {VISION_HIDDEN});
        }
        shapes.put("visual_projection.weight", new long[] {PROJECTION, VISION_HIDDEN});
        return shapes;
    }

    private static void addEncoder(Map<String, long[]> shapes, String tower, int hidden, int intermediate) {
        for (int layer = 0; layer < LAYERS; layer++) {
            String prefix = tower + ".encoder.layers." + layer + ".";
            for (String norm : new String[] {"layer_norm1", "layer_norm2"}) {
                shapes.put(prefix + norm + ".bias", new long[] {hidden});
                shapes.put(prefix + norm + ".weight", new long[] {hidden});
            }
            shapes.put(prefix + "mlp.fc1.bias", new long[] {intermediate});
            shapes.put(prefix + "mlp.fc1.weight", new long[] {intermediate, hidden});
            shapes.put(prefix + "mlp.fc2.bias", new long[] {hidden});
            shapes.put(prefix + "mlp.fc2.weight", new long[] {hidden, intermediate});
            for (String projection : new String[] {"k_proj", "out_proj", "q_proj", "v_proj"}) {
                shapes.put(prefix + "self_attn." + projection + ".bias", new long[] {hidden});
                shapes.put(prefix + "self_attn." + projection + ".weight", new long[] {hidden, hidden});
            }
        }
    }

    private static void assertNamesShapesAndDtype(String file, DType dtype) {
        Map<String, long[]> expected = expectedShapes();
        try (SafeTensors model = SafeTensors.open(TestData.clipTiny(file))) {
            assertEquals(expected.keySet(), model.names());
            assertEquals(Map.of("format", "pt"), model.metadata());
            for (Map.Entry<String, long[]> entry : expected.entrySet()) {
                TensorView view = model.tensor(entry.getKey());
                assertArrayEquals(entry.getValue(), view.shape(), entry.getKey());
                assertEquals(dtype, view.dtype(), entry.getKey());
                assertEquals(view.elementCount() * dtype.byteSize(), view.byteSize(), entry.getKey());
            }
        }
    }

    @Test
    void f32FileHasEveryClipWeightWithItsShape() {
        assertNamesShapesAndDtype("model.safetensors", DType.F32);
    }

    @Test
    void f16FileHasEveryClipWeightWithItsShape() {
        assertNamesShapesAndDtype("model.fp16.safetensors", DType.F16);
    }

    @Test
    void bf16FileHasEveryClipWeightWithItsShape() {
        assertNamesShapesAndDtype("model.bf16.safetensors", DType.BF16);
    }

    @Test
    void f16ValuesAreTheF32ValuesRoundedToNearestEven() {
        try (SafeTensors f32 = SafeTensors.open(TestData.clipTiny("model.safetensors"));
             SafeTensors f16 = SafeTensors.open(TestData.clipTiny("model.fp16.safetensors"))) {
            for (String name : f32.names()) {
                float[] exact = f32.tensor(name).toFloatArray();
                float[] half = f16.tensor(name).toFloatArray();
                for (int i = 0; i < exact.length; i++) {
                    float expected = Float.float16ToFloat(Float.floatToFloat16(exact[i]));
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(half[i]), name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void bf16ValuesAreTheF32ValuesRoundedToNearestEven() {
        try (SafeTensors f32 = SafeTensors.open(TestData.clipTiny("model.safetensors"));
             SafeTensors bf16 = SafeTensors.open(TestData.clipTiny("model.bf16.safetensors"))) {
            for (String name : f32.names()) {
                float[] exact = f32.tensor(name).toFloatArray();
                float[] brain = bf16.tensor(name).toFloatArray();
                for (int i = 0; i < exact.length; i++) {
                    assertEquals(Float.floatToIntBits(nearestBf16(exact[i])), Float.floatToIntBits(brain[i]),
                            name + "[" + i + "]");
                }
            }
        }
    }

    /** The bfloat16 value nearest to a finite float, ties to even mantissa: picks between the two neighbours. */
    private static float nearestBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        float down = Float.intBitsToFloat(bits & 0xffff0000);
        float up = Float.intBitsToFloat((bits & 0xffff0000) + 0x10000);
        double distanceDown = Math.abs((double) value - down);
        double distanceUp = Math.abs((double) up - value);
        if (distanceDown != distanceUp) {
            return distanceDown < distanceUp ? down : up;
        }
        return ((bits >>> 16) & 1) == 0 ? down : up;
    }
}
