package dev.aperture.core.pytorch;

import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clip-tiny weights re-saved by the real torch.save in six layouts (testdata/checkpoints/README.txt) read back
 * bit for bit: every tensor equals the one in clip-tiny's safetensors file of the same dtype (name, dtype, shape
 * and bytes), so every model output computed from them equals the goldens computed from those.
 */
class TorchCheckpointFixturesTest {

    private static Path layout(String name) {
        return TestData.checkpoints("clip-tiny-bin/" + name);
    }

    @ParameterizedTest(name = "{0} equals {1}")
    @CsvSource({
            "zip, model.safetensors",
            "legacy, model.safetensors",
            "views, model.safetensors",
            "sharded, model.safetensors",
            "fp16, model.fp16.safetensors",
            "bf16, model.bf16.safetensors"})
    void everyTensorEqualsTheSafetensorsReference(String layout, String reference) {
        try (TensorSource checkpoint = Checkpoints.open(layout(layout));
             SafeTensors expected = SafeTensors.open(TestData.clipTiny(reference))) {
            assertEquals(expected.names(), checkpoint.names().stream()
                    .filter(expected::contains).collect(java.util.stream.Collectors.toSet()));
            for (String name : expected.names()) {
                TensorView want = expected.tensor(name);
                TensorView got = checkpoint.tensor(name);
                assertEquals(want.dtype(), got.dtype(), name);
                assertArrayEquals(want.shape(), got.shape(), name);
                assertArrayEquals(want.data().toArray(ValueLayout.JAVA_BYTE), got.data().toArray(ValueLayout.JAVA_BYTE),
                        name);
            }
        }
    }

    @Test
    void aFolderOpensItsPytorchModelBinWhenItHasNoSafetensors() {
        try (TensorSource checkpoint = Checkpoints.open(layout("zip"))) {
            assertEquals(List.of(layout("zip").resolve("pytorch_model.bin")), checkpoint.files());
        }
    }

    @Test
    void shardedBinIsReadThroughItsIndex() {
        try (TensorSource checkpoint = Checkpoints.open(layout("sharded"))) {
            assertEquals(3, checkpoint.files().size());
            assertTrue(checkpoint.files().getFirst().toString().endsWith("pytorch_model-00001-of-00003.bin"));
        }
    }

    @Test
    void contiguousTensorsOfAZipCheckpointAreMappedInPlace() {
        try (TensorSource checkpoint = Checkpoints.open(layout("zip"))) {
            TensorView embedding = checkpoint.tensor("text_model.embeddings.token_embedding.weight");
            assertTrue(embedding.data().isMapped(), "expected a zero-copy view of the mapped file");
            assertEquals(0, embedding.data().address() % 64, "torch aligns storages to 64 bytes");
        }
    }

    @Test
    void aTransposedViewIsCopiedIntoRowMajorOrder() {
        // views/: position_embedding is stored transposed, strides (1, 77).
        try (TensorSource views = Checkpoints.open(layout("views"));
             SafeTensors expected = SafeTensors.open(TestData.clipTiny("model.safetensors"))) {
            String name = "text_model.embeddings.position_embedding.weight";
            assertFalse(views.tensor(name).data().isMapped(), "a non-contiguous tensor must be a copy");
            assertArrayEquals(expected.tensor(name).toFloatArray(), views.tensor(name).toFloatArray());
            assertTrue(views.tensor("text_model.embeddings.token_embedding.weight").data().isMapped(),
                    "a contiguous view of the shared storage stays in place");
        }
    }

    @Test
    void integerBuffersAreReadAsIntegerTensors() {
        try (TensorSource checkpoint = Checkpoints.open(layout("zip"))) {
            for (String name : checkpoint.names()) {
                DType dtype = checkpoint.tensor(name).dtype();
                assertTrue(dtype == DType.F32 || dtype == DType.I64, name + " is " + dtype);
            }
        }
    }
}
