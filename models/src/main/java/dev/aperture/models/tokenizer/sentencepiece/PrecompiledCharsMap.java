package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * NormalizerSpec.precompiled_charsmap, SentencePiece's compiled normalization rules (nmt_nfkc and friends), read
 * as sentencepiece's {@code normalizer.cc} and the Hugging Face {@code Precompiled} normalizer read it: a 4-byte
 * little-endian size, a Darts-clone double-array trie of that many bytes over the UTF-8 of the text, then a pool of
 * NUL-terminated replacement strings the trie's values point into. Every index read from the blob is bounds-checked,
 * so a corrupt map is refused at load or, at worst, matches nothing; it never reads outside the blob.
 */
final class PrecompiledCharsMap {
    private final int[] units;
    private final byte[] pool;

    private PrecompiledCharsMap(int[] units, byte[] pool) {
        this.units = units;
        this.pool = pool;
    }

    /** The map in {@code blob}; {@code source} names the file in messages. */
    static PrecompiledCharsMap parse(byte[] blob, String source) {
        ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        if (blob.length <= 4) {
            throw broken(source, "is " + blob.length + " bytes, too short for its header");
        }
        long trieBytes = Integer.toUnsignedLong(buffer.getInt(0));
        if (trieBytes >= blob.length - 4L || trieBytes % 4 != 0 || trieBytes == 0) {
            throw broken(source, "claims a trie of " + trieBytes + " bytes in a blob of " + blob.length);
        }
        int[] units = new int[(int) (trieBytes / 4)];
        for (int i = 0; i < units.length; i++) {
            units[i] = buffer.getInt(4 + 4 * i);
        }
        byte[] pool = new byte[blob.length - 4 - (int) trieBytes];
        System.arraycopy(blob, 4 + (int) trieBytes, pool, 0, pool.length);
        return new PrecompiledCharsMap(units, pool);
    }

    private static FormatException broken(String source, String problem) {
        return new FormatException(source + ": normalizer_spec.precompiled_charsmap " + problem);
    }

    /**
     * The longest rule matching {@code utf8} at {@code from}: (match length << 32) | pool offset of its replacement,
     * or -1 when no rule matches there. Darts-clone's commonPrefixSearch, walking one byte at a time.
     */
    long longestMatch(byte[] utf8, int from) {
        long best = -1;
        int node = offset(unit(0));
        if (node < 0) {
            return -1;
        }
        for (int i = from; i < utf8.length; i++) {
            int label = utf8[i] & 0xFF;
            node ^= label;
            int unit = unit(node);
            // label(): the low byte, plus the leaf bit (bit 31) that a non-leaf unit must not have.
            if (unit == -1 || (unit & 0x800000FF) != label) {
                return best;
            }
            node ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) {
                int leaf = unit(node);
                if (leaf == -1) {
                    return best;
                }
                int value = leaf & 0x7FFFFFFF;
                if (value < pool.length) {
                    best = ((long) (i + 1 - from) << 32) | value;
                }
            }
        }
        return best;
    }

    /** The NUL-terminated replacement at {@code poolOffset}, as UTF-8 bytes. */
    byte[] replacement(int poolOffset) {
        int end = poolOffset;
        while (end < pool.length && pool[end] != 0) {
            end++;
        }
        byte[] bytes = new byte[end - poolOffset];
        System.arraycopy(pool, poolOffset, bytes, 0, bytes.length);
        return bytes;
    }

    /** The unit at {@code index}, or -1 (never a valid unit here) when the index is outside the trie. */
    private int unit(int index) {
        return index >= 0 && index < units.length ? units[index] : -1;
    }

    /** Darts-clone's offset(): bits 10.. shifted left by 8 more when bit 9 is set. */
    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }
}
