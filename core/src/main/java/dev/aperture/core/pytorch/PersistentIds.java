package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;

/**
 * Reads the persistent ids with which {@code torch.save} pickles storages: {@code ('storage', storage_type, key,
 * location, numel)} in zip checkpoints, the same with a sixth entry, {@code view_metadata} (None), in legacy ones.
 */
final class PersistentIds {
    private PersistentIds() {
    }

    /** The storage a persistent id names, checked: {@code arity} entries, a storage class, a string key. */
    static StorageRef storage(PyTuple id, int arity, String where) {
        if (id.size() != arity || !"storage".equals(id.get(0))) {
            throw new FormatException(where + ": a persistent id is not ('storage', type, key, location, numel"
                    + (arity > 5 ? ", view_metadata" : "") + "); only storages may be loaded that way");
        }
        if (!(id.get(1) instanceof AllowedGlobal type) || type.storageType == null) {
            throw new FormatException(where + ": a persistent id's storage type is not a torch storage class");
        }
        if (!(id.get(2) instanceof String key) || !(id.get(3) instanceof String)) {
            throw new FormatException(where + ": a persistent id's key and location must be strings");
        }
        if (!(id.get(4) instanceof Long count) || count < 0) {
            throw new FormatException(where + ": storage '" + key + "' has no valid element count");
        }
        if (arity > 5 && id.get(5) != PyNone.NONE) {
            throw new FormatException(where + ": storage '" + key + "' is a view of another storage"
                    + " (view_metadata, from PyTorch before 1.0), which is not supported");
        }
        return new StorageRef(key, type.storageType, count);
    }

    /** A second reference to a storage must agree with the first on its type; torch keeps the first. */
    static StorageRef sameStorage(StorageRef first, StorageRef again, String where) {
        if (first.dtype() != again.dtype()) {
            throw new FormatException(where + ": storage '" + first.key() + "' is declared as " + first.dtype()
                    + " and as " + again.dtype());
        }
        return first;
    }

    /** Bytes a storage's elements occupy, or a refusal when that does not fit 64 bits. */
    static long byteCount(StorageRef storage, String fileName) {
        long bytes = storage.dtype().byteCount(storage.elementCount());
        if (bytes < 0) {
            throw new FormatException(fileName + ": storage '" + storage.key() + "' declares "
                    + storage.elementCount() + " elements, too large (the byte count overflows 64 bits)");
        }
        return bytes;
    }
}
