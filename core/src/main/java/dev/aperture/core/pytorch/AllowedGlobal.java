package dev.aperture.core.pytorch;

import dev.aperture.core.tensor.DType;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The only globals a weights-only checkpoint may import: what {@code torch.save} writes for a state dict. A GLOBAL
 * opcode naming anything else is refused on the spot. These are names, never looked up: each one's meaning is
 * written out in {@link WeightsOnlyUnpickler} (a dict, a tensor description, a storage type).
 */
enum AllowedGlobal {
    ORDERED_DICT("collections", "OrderedDict", null),
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor", null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state", null),
    FLOAT_STORAGE("torch", "FloatStorage", DType.F32),
    HALF_STORAGE("torch", "HalfStorage", DType.F16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64),
    LONG_STORAGE("torch", "LongStorage", DType.I64),
    INT_STORAGE("torch", "IntStorage", DType.I32),
    SHORT_STORAGE("torch", "ShortStorage", DType.I16),
    CHAR_STORAGE("torch", "CharStorage", DType.I8),
    BYTE_STORAGE("torch", "ByteStorage", DType.U8),
    BOOL_STORAGE("torch", "BoolStorage", DType.BOOL);

    final String module;
    final String name;
    /** The element type of a storage class; null for the callables. */
    final DType storageType;

    AllowedGlobal(String module, String name, DType storageType) {
        this.module = module;
        this.name = name;
        this.storageType = storageType;
    }

    /** The allowed global with this module and name. */
    static Optional<AllowedGlobal> of(String module, String name) {
        return Arrays.stream(values()).filter(g -> g.module.equals(module) && g.name.equals(name)).findFirst();
    }

    /** {@code module.name}, as Python spells it. */
    String qualifiedName() {
        return module + "." + name;
    }

    /** Every allowed name, for a refusal's message. */
    static String list() {
        return Arrays.stream(values()).map(AllowedGlobal::qualifiedName).collect(Collectors.joining(", "));
    }
}
