package dev.aperture.core.safetensors;

/**
 * Caps applied while opening a safetensors file, checked before anything is allocated.
 *
 * @param maxHeaderBytes the largest JSON header accepted; the reference implementation refuses headers over 100 MB
 */
public record SafeTensorsLimits(long maxHeaderBytes) {

    /** The reference implementation's cap: 100,000,000 header bytes. */
    public static final SafeTensorsLimits DEFAULT = new SafeTensorsLimits(100_000_000L);

    public SafeTensorsLimits {
        if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [2, 2^31 - 9], got " + maxHeaderBytes);
        }
    }
}
