package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The format {@code torch.save} writes since PyTorch 1.6: a zip archive whose entries sit in one folder
 * ({@code <name>/}, named after the file): {@code data.pkl} (the state dict, pickled with each storage as a
 * persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}), {@code data/<key>} (each storage's
 * raw bytes, STORED and 64-byte aligned), {@code byteorder} ({@code little} or {@code big}; absent in files from
 * before PyTorch 2.1, which are little-endian), {@code version} and a few other records this reader does not need.
 */
final class TorchZipFile {
    /** Records torch writes besides the storages: data.pkl, byteorder, version, .format_version, ... */
    private static final int MAX_OTHER_RECORDS = 64;

    private TorchZipFile() {
    }

    /** Reads the state dict pickle of {@code file} and resolves its storages to slices of it. */
    static StateDict read(MemorySegment file, String fileName, CheckpointLimits limits) {
        ZipArchive archive = ZipArchive.read(file, fileName, (long) limits.maxTensors() + MAX_OTHER_RECORDS);
        ZipArchive.Entry pickle = findDataPickle(archive, fileName);
        String folder = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        if (pickle.size() > limits.maxPickleBytes()) {
            throw new ResourceLimitException(fileName + ": " + pickle.name() + " is " + pickle.size()
                    + " bytes, over the limit of " + limits.maxPickleBytes() + " (CheckpointLimits.maxPickleBytes)");
        }
        ByteOrder order = byteOrder(archive, folder, fileName);
        Map<String, MemorySegment> storageBytes = new LinkedHashMap<>();
        Map<String, StorageRef> storages = new LinkedHashMap<>();
        WeightsOnlyUnpickler.StorageResolver resolver = (id, where) -> {
            StorageRef storage = PersistentIds.storage(id, 5, where);
            StorageRef known = storages.putIfAbsent(storage.key(), storage);
            if (known != null) {
                return PersistentIds.sameStorage(known, storage, where);
            }
            storageBytes.put(storage.key(), storageData(archive, folder, storage, fileName));
            return storage;
        };
        String where = fileName + ": " + pickle.name();
        Object root = WeightsOnlyUnpickler.read(archive.data(pickle), 0, where, limits, resolver).value();
        return new StateDict(root, storageBytes, order);
    }

    private static ZipArchive.Entry findDataPickle(ZipArchive archive, String fileName) {
        for (ZipArchive.Entry entry : archive.entries().values()) {
            String name = entry.name();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                return entry;
            }
        }
        boolean torchScript = archive.entries().keySet().stream().anyMatch(name -> name.endsWith("/constants.pkl"));
        throw new FormatException(fileName + ": not a PyTorch checkpoint: the zip archive has no <folder>/data.pkl"
                + (torchScript ? " (it looks like a TorchScript archive from torch.jit.save, which holds code and"
                + " is not a state dict)" : ""));
    }

    private static ByteOrder byteOrder(ZipArchive archive, String folder, String fileName) {
        ZipArchive.Entry entry = archive.entries().get(folder + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        MemorySegment data = archive.data(entry);
        String text = data.byteSize() > 16 ? "" : new String(data.toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII).strip();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new FormatException(fileName + ": " + entry.name()
                    + " must say \"little\" or \"big\"");
        };
    }

    /** The bytes of storage {@code data/<key>}: exactly its elements, checked to be all there. */
    private static MemorySegment storageData(ZipArchive archive, String folder, StorageRef storage, String fileName) {
        String name = folder + "data/" + storage.key();
        ZipArchive.Entry entry = archive.entries().get(name);
        if (entry == null) {
            throw new FormatException(fileName + ": a tensor reads storage '" + storage.key() + "', but the archive"
                    + " has no record " + name + " (missing storage)");
        }
        MemorySegment data = archive.data(entry);
        long needed = PersistentIds.byteCount(storage, fileName);
        if (data.byteSize() < needed) {
            throw new FormatException(fileName + ": storage '" + storage.key() + "' (" + name + ") has "
                    + data.byteSize() + " bytes, shorter than the " + needed + " bytes its " + storage.elementCount()
                    + " " + storage.dtype() + " elements need");
        }
        return data.asSlice(0, needed);
    }
}
