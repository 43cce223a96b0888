package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.checkpoint.CheckpointLimits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format of {@code torch.save} before PyTorch 1.6 (and with {@code _use_new_zipfile_serialization=False}):
 * five pickles one after another, then the storages.
 * <ol>
 *   <li>the magic number {@code 0x1950a86a20f9469cfc6c};</li>
 *   <li>the protocol version, 1001;</li>
 *   <li>sys info: {@code {'protocol_version', 'little_endian', 'type_sizes'}};</li>
 *   <li>the state dict, each storage a persistent id {@code ('storage', type, key, location, numel, None)};</li>
 *   <li>the list of storage keys, in the order their bytes follow;</li>
 * </ol>
 * then, for each key, its element count as an 8-byte integer and its raw bytes, in the byte order sys info gives.
 */
final class TorchLegacyFile {
    private static final BigInteger MAGIC_NUMBER = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private TorchLegacyFile() {
    }

    /** Whether the bytes start like a pickle (the PROTO opcode), as a legacy checkpoint does. */
    static boolean startsLikeOne(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == PickleOpcode.PROTO.code;
    }

    static StateDict read(MemorySegment file, String fileName, CheckpointLimits limits) {
        WeightsOnlyUnpickler.StorageResolver noStorages = (id, where) -> {
            throw new FormatException(where + ": a storage before the state dict");
        };
        WeightsOnlyUnpickler.Result magic = WeightsOnlyUnpickler.read(file, 0, fileName + ": the magic number", limits, noStorages);
        if (!MAGIC_NUMBER.equals(magic.value())) {
            throw new FormatException(fileName + ": not a PyTorch checkpoint: a pickle, but without torch's magic"
                    + " number (neither a torch zip archive nor a legacy torch.save file)");
        }
        WeightsOnlyUnpickler.Result version = WeightsOnlyUnpickler.read(file, magic.end(), fileName + ": the protocol version",
                limits, noStorages);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version.value())) {
            throw new FormatException(fileName + ": legacy checkpoint protocol version is not 1001");
        }
        WeightsOnlyUnpickler.Result sysInfo = WeightsOnlyUnpickler.read(file, version.end(), fileName + ": sys info", limits,
                noStorages);
        ByteOrder order = byteOrder(sysInfo.value(), fileName);

        Map<String, StorageRef> storages = new LinkedHashMap<>();
        WeightsOnlyUnpickler.Result stateDict = WeightsOnlyUnpickler.read(file, sysInfo.end(), fileName + ": the state dict pickle",
                limits, (id, where) -> {
                    StorageRef storage = PersistentIds.storage(id, 6, where);
                    StorageRef known = storages.putIfAbsent(storage.key(), storage);
                    return known == null ? storage : PersistentIds.sameStorage(known, storage, where);
                });
        WeightsOnlyUnpickler.Result keys = WeightsOnlyUnpickler.read(file, stateDict.end(), fileName + ": the storage keys", limits,
                noStorages);
        Map<String, MemorySegment> storageBytes = storageRecords(file, fileName, keys, storages, order);
        return new StateDict(stateDict.value(), storageBytes, order);
    }

    private static ByteOrder byteOrder(Object sysInfo, String fileName) {
        if (!(sysInfo instanceof Map<?, ?> info) || !(info.get("little_endian") instanceof Boolean little)) {
            throw new FormatException(fileName + ": legacy checkpoint sys info has no little_endian flag");
        }
        return little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Walks the storage records after the pickles: each an element count, then that many elements. */
    private static Map<String, MemorySegment> storageRecords(MemorySegment file, String fileName,
                                                             WeightsOnlyUnpickler.Result keys,
                                                             Map<String, StorageRef> storages, ByteOrder order) {
        List<String> keyList = keyList(keys.value(), fileName);
        Map<String, MemorySegment> bytes = new LinkedHashMap<>();
        long at = keys.end();
        for (String key : keyList) {
            StorageRef storage = storages.get(key);
            if (storage == null) {
                throw new FormatException(fileName + ": storage '" + key + "' is listed after the state dict but no"
                        + " tensor declares its type");
            }
            if (at > file.byteSize() - 8) {
                throw new FormatException(fileName + ": the file ends before storage '" + key
                        + "' (truncated: " + file.byteSize() + " bytes)");
            }
            long count = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at);
            long length = storage.dtype().byteCount(count);
            long start = at + 8;
            if (count < 0 || length < 0 || length > file.byteSize() - start) {
                throw new FormatException(fileName + ": storage '" + key + "' claims " + count + " " + storage.dtype()
                        + " elements at byte " + start + ", but the file has only " + (file.byteSize() - start)
                        + " bytes left (too short: truncated or corrupt)");
            }
            if (bytes.put(key, file.asSlice(start, length)) != null) {
                throw new FormatException(fileName + ": storage '" + key + "' is listed twice");
            }
            at = start + length;
        }
        return bytes;
    }

    private static List<String> keyList(Object keys, String fileName) {
        if (!(keys instanceof ArrayList<?> list)) {
            throw new FormatException(fileName + ": the storage keys after the state dict are not a list");
        }
        List<String> result = new ArrayList<>();
        for (Object key : list) {
            if (!(key instanceof String text)) {
                throw new FormatException(fileName + ": a storage key after the state dict is not a string");
            }
            result.add(text);
        }
        return result;
    }
}
