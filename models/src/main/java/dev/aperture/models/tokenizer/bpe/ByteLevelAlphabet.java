package dev.aperture.models.tokenizer.bpe;

import java.io.ByteArrayOutputStream;

/**
 * GPT-2's reversible byte-to-character table ("bytes_to_unicode"). Byte-level BPE works on the UTF-8 bytes of a
 * word, but vocabularies are written as text, so each of the 256 byte values is shown as one printable character:
 * printable Latin-1 bytes map to themselves, the other 68 to U+0100 and up, in byte order.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte that character {@code c} stands for, or -1 when {@code c} is not in the alphabet. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Appends the bytes spelled by byte-level text; characters outside the alphabet are appended as UTF-8. */
    static void appendBytes(String byteLevelText, ByteArrayOutputStream out) {
        for (int i = 0; i < byteLevelText.length(); i++) {
            char c = byteLevelText.charAt(i);
            int b = byteOf(c);
            if (b >= 0) {
                out.write(b);
            } else {
                byte[] raw = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
            }
        }
    }
}
