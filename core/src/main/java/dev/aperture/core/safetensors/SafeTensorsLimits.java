package dev.aperture.core.safetensors;

/**
 * Caps applied while opening a safetensors file, each checked before the memory it guards is allocated; exceeding
 * one raises a {@link dev.aperture.core.ResourceLimitException} naming the file and the limit.
 *
 * <p>The mapped size needs no cap of its own: a file maps exactly its own bytes, and the header is refused unless
 * its tensors tile the data region exactly (no tensor can claim a byte past the end of the file).
 *
 * @param maxHeaderBytes the largest JSON header accepted; the reference implementation refuses headers over 100 MB
 * @param maxTensors     the most tensors one file may declare (ViT-L/14 has about 600; large LLM shards a few
 *                       thousand); bounds the per-tensor objects a tiny-entry header could otherwise make us build
 */
public record SafeTensorsLimits(long maxHeaderBytes, int maxTensors) {

    /** Default tensor cap: 200,000 tensors per file. */
    public static final int DEFAULT_MAX_TENSORS = 200_000;

    /** The reference implementation's header cap (100,000,000 bytes) and {@value #DEFAULT_MAX_TENSORS} tensors. */
    public static final SafeTensorsLimits DEFAULT = new SafeTensorsLimits(100_000_000L, DEFAULT_MAX_TENSORS);

    /** Validates the limits. */
    public SafeTensorsLimits {
        if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [2, 2^31 - 9], got " + maxHeaderBytes);
        }
        if (maxTensors < 0) {
            throw new IllegalArgumentException("maxTensors must be >= 0, got " + maxTensors);
        }
    }

    /** A header cap with the default tensor cap. */
    public SafeTensorsLimits(long maxHeaderBytes) {
        this(maxHeaderBytes, DEFAULT_MAX_TENSORS);
    }

    /** These limits with another tensor cap. */
    public SafeTensorsLimits withMaxTensors(int count) {
        return new SafeTensorsLimits(maxHeaderBytes, count);
    }
}
