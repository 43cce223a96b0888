package dev.aperture.core.pytorch;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * What a checkpoint's container yields before its tensors are laid out: the unpickled root object (a state dict,
 * when the file is one), the bytes of every storage it references, by key, and their byte order.
 */
record StateDict(Object root, Map<String, MemorySegment> storageBytes, ByteOrder order) {
}
