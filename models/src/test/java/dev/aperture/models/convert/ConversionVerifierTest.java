package dev.aperture.models.convert;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check a conversion runs before keeping its files, fed files written by others: clip-tiny's F16 and BF16
 * casts (made by torch) pass as casts of its F32 weights, and copies with one element, byte or tensor wrong fail,
 * naming the tensor.
 */
class ConversionVerifierTest {
    private static final String LAYER_NORM = "vision_model.post_layernorm.weight";

    @TempDir
    Path dir;

    private static Path tiny(String file) {
        return TestData.clipTiny().resolve(file);
    }

    private static void verify(Path source, Path written, TargetDType dtype) {
        try (SafeTensors original = SafeTensors.open(source); SafeTensors converted = SafeTensors.open(written)) {
            ConversionVerifier.verify(original, converted, dtype, written.getParent(), ConversionListener.NONE);
        }
    }

    @Test
    void acceptsTorchsOwnHalfAndBfloatCastsOfTheF32Weights() {
        assertDoesNotThrow(() -> verify(tiny("model.safetensors"), tiny("model.fp16.safetensors"), TargetDType.F16));
        assertDoesNotThrow(() -> verify(tiny("model.safetensors"), tiny("model.bf16.safetensors"), TargetDType.BF16));
        assertDoesNotThrow(() -> verify(tiny("model.safetensors"), tiny("model.safetensors"), TargetDType.KEEP));
    }

    @Test
    void catchesACastTensorWrongInOneElement() {
        Path wrong = copyWith(tiny("model.fp16.safetensors"), LAYER_NORM, bytes -> {
            bytes[2 * 5] ^= 1;  // the lowest mantissa bit of element 5
            return bytes;
        });
        ModelMismatchException e = assertThrows(ModelMismatchException.class,
                () -> verify(tiny("model.safetensors"), wrong, TargetDType.F16));
        assertTrue(e.getMessage().contains("'" + LAYER_NORM + "'") && e.getMessage().contains("element 5"),
                e.getMessage());
    }

    @Test
    void catchesAKeptTensorWrongInOneByte() {
        Path wrong = copyWith(tiny("model.safetensors"), LAYER_NORM, bytes -> {
            bytes[13] ^= (byte) 0x80;
            return bytes;
        });
        ModelMismatchException e = assertThrows(ModelMismatchException.class,
                () -> verify(tiny("model.safetensors"), wrong, TargetDType.KEEP));
        assertTrue(e.getMessage().contains("'" + LAYER_NORM + "'") && e.getMessage().contains("byte 13"),
                e.getMessage());
    }

    @Test
    void catchesATensorLeftInTheWrongType() {
        ModelMismatchException e = assertThrows(ModelMismatchException.class,
                () -> verify(tiny("model.safetensors"), tiny("model.bf16.safetensors"), TargetDType.F16));
        assertTrue(e.getMessage().contains("as BF16") && e.getMessage().contains("expected F16"), e.getMessage());
    }

    @Test
    void catchesAMissingTensor() {
        Path incomplete = copyWith(tiny("model.safetensors"), "logit_scale", null);
        ModelMismatchException e = assertThrows(ModelMismatchException.class,
                () -> verify(tiny("model.safetensors"), incomplete, TargetDType.KEEP));
        assertTrue(e.getMessage().contains("lacks tensor 'logit_scale'"), e.getMessage());
    }

    /**
     * A copy of {@code file} whose tensor {@code name} has the bytes {@code edit} returns, or is left out when
     * {@code edit} is null.
     */
    private Path copyWith(Path file, String name, UnaryOperator<byte[]> edit) {
        Path copy = dir.resolve("edited.safetensors");
        try (TensorSource original = SafeTensors.open(file)) {
            List<TensorToWrite> tensors = new ArrayList<>();
            for (String each : original.names()) {
                TensorView view = original.tensor(each);
                if (!each.equals(name)) {
                    tensors.add(TensorToWrite.of(view));
                } else if (edit != null) {
                    byte[] bytes = edit.apply(view.data().toArray(ValueLayout.JAVA_BYTE));
                    tensors.add(TensorToWrite.ofBytes(each, view.dtype(), view.shape(), bytes));
                }
            }
            SafeTensors.write(copy, tensors, original.metadata());
        }
        return copy;
    }
}
