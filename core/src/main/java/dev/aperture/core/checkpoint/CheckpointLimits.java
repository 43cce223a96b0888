package dev.aperture.core.checkpoint;

/**
 * Caps applied while opening a checkpoint (safetensors or PyTorch), each checked before the memory it guards is
 * allocated; exceeding one raises a {@link dev.aperture.core.ResourceLimitException} naming the file and the limit.
 *
 * <p>Mapped sizes need no cap of their own: a file maps exactly its own bytes, and every tensor is checked to lie
 * inside its file (safetensors: the tensors tile the data region exactly; PyTorch: inside its storage, and the
 * storage inside the file).
 *
 * <p>The pickle caps bound what a PyTorch checkpoint's {@code data.pkl} can make the weights-only unpickler build.
 * Every value it creates costs a few dozen bytes at most, so with the defaults the interpreter's worst case stays
 * a few hundred MB whatever the pickle says; a real state dict needs about 20 values and 15 memo entries per tensor.
 *
 * @param maxHeaderBytes   the largest safetensors JSON header accepted; the reference implementation refuses
 *                         headers over 100 MB
 * @param maxTensors       the most tensors one file may declare (ViT-L/14 has about 600; large LLM shards a few
 *                         thousand); bounds the per-tensor objects a tiny-entry header could otherwise make us build
 * @param maxPickleBytes   the largest pickle accepted ({@code data.pkl}, or one pickle of a legacy file)
 * @param maxPickleDepth   the deepest nesting of MARKs (unfinished tuples, lists, dicts) in a pickle
 * @param maxPickleValues  the most values (numbers, strings, containers, tensors) one pickle may create
 * @param maxMemoEntries   the most memo entries one pickle may store
 * @param maxStringBytes   the longest string or bytes value in a pickle (names, storage keys)
 */
public record CheckpointLimits(long maxHeaderBytes, int maxTensors, long maxPickleBytes, int maxPickleDepth,
                               int maxPickleValues, int maxMemoEntries, int maxStringBytes) {

    /** Default tensor cap: 200,000 tensors per file. */
    public static final int DEFAULT_MAX_TENSORS = 200_000;

    /**
     * The reference implementation's safetensors header cap (100,000,000 bytes), {@value #DEFAULT_MAX_TENSORS}
     * tensors, and pickles of at most 32 MiB, nesting 1,000, 2,000,000 values and memo entries (a state dict of
     * about 100,000 tensors) and strings of 1 MiB.
     */
    public static final CheckpointLimits DEFAULT = new CheckpointLimits(100_000_000L, DEFAULT_MAX_TENSORS,
            32L << 20, 1_000, 2_000_000, 2_000_000, 1 << 20);

    /** Validates the limits. */
    public CheckpointLimits {
        if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [2, 2^31 - 9], got " + maxHeaderBytes);
        }
        if (maxTensors < 0) {
            throw new IllegalArgumentException("maxTensors must be >= 0, got " + maxTensors);
        }
        if (maxPickleBytes < 1 || maxPickleBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxPickleBytes must be in [1, 2^31 - 9], got " + maxPickleBytes);
        }
        if (maxPickleDepth < 1 || maxPickleValues < 1 || maxMemoEntries < 0 || maxStringBytes < 0) {
            throw new IllegalArgumentException("maxPickleDepth and maxPickleValues must be >= 1, maxMemoEntries and"
                    + " maxStringBytes >= 0; got " + maxPickleDepth + ", " + maxPickleValues + ", " + maxMemoEntries
                    + ", " + maxStringBytes);
        }
    }

    /** A safetensors header cap with the other defaults. */
    public CheckpointLimits(long maxHeaderBytes) {
        this(maxHeaderBytes, DEFAULT.maxTensors, DEFAULT.maxPickleBytes, DEFAULT.maxPickleDepth,
                DEFAULT.maxPickleValues, DEFAULT.maxMemoEntries, DEFAULT.maxStringBytes);
    }

    /** These limits with another tensor cap. */
    public CheckpointLimits withMaxTensors(int count) {
        return new CheckpointLimits(maxHeaderBytes, count, maxPickleBytes, maxPickleDepth, maxPickleValues,
                maxMemoEntries, maxStringBytes);
    }

    /** These limits with another pickle size cap. */
    public CheckpointLimits withMaxPickleBytes(long bytes) {
        return new CheckpointLimits(maxHeaderBytes, maxTensors, bytes, maxPickleDepth, maxPickleValues,
                maxMemoEntries, maxStringBytes);
    }

    /** These limits with another MARK nesting cap. */
    public CheckpointLimits withMaxPickleDepth(int depth) {
        return new CheckpointLimits(maxHeaderBytes, maxTensors, maxPickleBytes, depth, maxPickleValues,
                maxMemoEntries, maxStringBytes);
    }

    /** These limits with another cap on the values a pickle creates. */
    public CheckpointLimits withMaxPickleValues(int values) {
        return new CheckpointLimits(maxHeaderBytes, maxTensors, maxPickleBytes, maxPickleDepth, values,
                maxMemoEntries, maxStringBytes);
    }

    /** These limits with another memo cap. */
    public CheckpointLimits withMaxMemoEntries(int entries) {
        return new CheckpointLimits(maxHeaderBytes, maxTensors, maxPickleBytes, maxPickleDepth, maxPickleValues,
                entries, maxStringBytes);
    }

    /** These limits with another string length cap. */
    public CheckpointLimits withMaxStringBytes(int bytes) {
        return new CheckpointLimits(maxHeaderBytes, maxTensors, maxPickleBytes, maxPickleDepth, maxPickleValues,
                maxMemoEntries, bytes);
    }
}
