package dev.aperture.models.convert;

import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The element type a conversion stores floating-point tensors as. Integer and boolean tensors (token ids, position
 * ids, masks) are always kept as they are: casting them would change what they mean.
 */
public enum TargetDType {
    /** Every tensor unchanged, byte for byte. */
    KEEP(null),
    /** Floating-point tensors as float32 (F16 and BF16 widen exactly; F64 rounds to nearest). */
    F32(DType.F32),
    /** Floating-point tensors as IEEE float16, rounded to nearest even (what torch's {@code .half()} gives). */
    F16(DType.F16),
    /** Floating-point tensors as bfloat16, rounded to nearest even (what torch's {@code .bfloat16()} gives). */
    BF16(DType.BF16);

    private final DType floatType;

    TargetDType(DType floatType) {
        this.floatType = floatType;
    }

    /**
     * Whether this target changes a tensor of {@code source}'s type: a floating-point type (F64, F32, F16, BF16) other
     * than the target's. A tensor already of the target's type is copied byte for byte, NaN payloads and all.
     */
    public boolean converts(DType source) {
        return floatType != null && isCastable(source) && source != floatType;
    }

    /** The type a tensor of {@code source}'s type is written as. */
    public DType storedTypeOf(DType source) {
        return converts(source) ? floatType : source;
    }

    /** The name the command line uses: {@code keep}, {@code f32}, {@code f16}, {@code bf16}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The target named {@code name} ({@code keep}, {@code f32}, {@code f16} or {@code bf16}, any case).
     *
     * @throws InputException for any other name
     */
    public static TargetDType parse(String name) {
        for (TargetDType target : values()) {
            if (target.cliName().equalsIgnoreCase(name.strip())) {
                return target;
            }
        }
        throw new InputException("unknown dtype '" + name + "': use one of "
                + Arrays.stream(values()).map(TargetDType::cliName).collect(Collectors.joining(", ")));
    }

    /** Types whose values {@link dev.aperture.core.safetensors.TensorToWrite#castOf} can read. */
    static boolean isCastable(DType type) {
        return type == DType.F64 || type.isConvertibleToFloat();
    }

    /**
     * Floating-point types we cannot read (FP8, FP4, FP6, complex): a cast target must refuse them rather than leave
     * them quietly in their original type while the rest of the model changes.
     */
    static boolean isUncastableFloat(DType type) {
        return switch (type) {
            case F8_E4M3, F8_E5M2, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ, C64, F4, F6_E2M3, F6_E3M2 -> true;
            default -> false;
        };
    }
}
