package dev.aperture.models.convert;

import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which tensors a target type changes, and the names the command line accepts. */
class TargetDTypeTest {

    @Test
    void castsEveryFloatingTypeItCanReadAndNothingElse() {
        for (DType source : new DType[] {DType.F64, DType.F32, DType.BF16}) {
            assertEquals(DType.F16, TargetDType.F16.storedTypeOf(source), source.name());
        }
        for (DType source : new DType[] {DType.I64, DType.I32, DType.U8, DType.BOOL}) {
            assertEquals(source, TargetDType.F16.storedTypeOf(source), source.name());
            assertFalse(TargetDType.BF16.converts(source), source.name());
        }
    }

    @Test
    void aTensorAlreadyOfTheTargetTypeIsCopiedNotCast() {
        assertFalse(TargetDType.F16.converts(DType.F16));
        assertTrue(TargetDType.F16.converts(DType.F32));
    }

    @Test
    void keepChangesNothing() {
        for (DType source : DType.values()) {
            assertEquals(source, TargetDType.KEEP.storedTypeOf(source));
        }
    }

    @Test
    void parsesCommandLineNamesInAnyCase() {
        assertEquals(TargetDType.BF16, TargetDType.parse("bf16"));
        assertEquals(TargetDType.F16, TargetDType.parse("F16"));
        assertEquals(TargetDType.KEEP, TargetDType.parse("keep"));
        InputException e = assertThrows(InputException.class, () -> TargetDType.parse("fp16"));
        assertTrue(e.getMessage().contains("'fp16'") && e.getMessage().contains("keep, f32, f16, bf16"), e.getMessage());
    }
}
