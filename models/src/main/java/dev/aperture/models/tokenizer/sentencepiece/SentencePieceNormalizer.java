package dev.aperture.models.tokenizer.sentencepiece;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SentencePiece's normalizer ({@code normalizer.cc}): the text's UTF-8 is rewritten prefix by prefix, each prefix
 * being a user-defined piece (kept as it is), else the longest rule of the {@link PrecompiledCharsMap} (replaced),
 * else one character (kept). With remove_extra_whitespaces, spaces at the start and the end are dropped and runs of
 * spaces in the middle become one; add_dummy_prefix puts a space in front; escape_whitespaces writes every space as
 * U+2581 "▁". Only the ASCII space counts as a space here: other whitespace becomes one through the charsmap, or not
 * at all.
 */
final class SentencePieceNormalizer {
    private static final byte[] SPACE_SYMBOL = "\u2581".getBytes(StandardCharsets.UTF_8);

    private final PrecompiledCharsMap charsMap;
    private final SentencePieceModel.NormalizerSpec spec;
    /** User-defined pieces as UTF-8, longest first, so the first that matches is the longest. */
    private final byte[][] userDefined;

    /**
     * @param spec        the model's normalizer spec
     * @param userDefined the model's USER_DEFINED pieces, which pass through unchanged
     * @param source      the model file, for messages
     */
    SentencePieceNormalizer(SentencePieceModel.NormalizerSpec spec, List<String> userDefined, String source) {
        this.spec = spec;
        this.charsMap = spec.precompiledCharsMap().length == 0 ? null
                : PrecompiledCharsMap.parse(spec.precompiledCharsMap(), source);
        this.userDefined = userDefined.stream().map(p -> p.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] p) -> p.length).reversed()).toArray(byte[][]::new);
    }

    /** The normalized form of {@code text}, which must have no lone surrogates. */
    String normalize(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 8);
        int position = 0;
        if (spec.removeExtraWhitespaces()) {
            while (position < input.length) {
                Prefix prefix = prefixAt(input, position);
                if (!prefix.isOneSpace()) {
                    break;
                }
                position += prefix.consumed();
            }
        }
        if (position == input.length) {
            return "";
        }
        if (spec.addDummyPrefix()) {
            appendSpace(out);
        }
        boolean previousWasSpace = spec.removeExtraWhitespaces();
        while (position < input.length) {
            Prefix prefix = prefixAt(input, position);
            byte[] piece = prefix.normalized();
            int start = 0;
            while (previousWasSpace && start < piece.length && piece[start] == ' ') {
                start++;
            }
            if (start < piece.length) {
                for (int i = start; i < piece.length; i++) {
                    if (piece[i] == ' ') {
                        appendSpace(out);
                    } else {
                        out.write(piece[i]);
                    }
                }
                previousWasSpace = piece[piece.length - 1] == ' ';
            }
            position += prefix.consumed();
            if (!spec.removeExtraWhitespaces()) {
                previousWasSpace = false;
            }
        }
        byte[] normalized = out.toByteArray();
        int end = normalized.length;
        if (spec.removeExtraWhitespaces()) {
            byte[] space = spec.escapeWhitespaces() ? SPACE_SYMBOL : new byte[] {' '};
            while (end >= space.length && Arrays.equals(normalized, end - space.length, end, space, 0, space.length)) {
                end -= space.length;
            }
        }
        return new String(normalized, 0, end, StandardCharsets.UTF_8);
    }

    private void appendSpace(ByteArrayOutputStream out) {
        if (spec.escapeWhitespaces()) {
            out.writeBytes(SPACE_SYMBOL);
        } else {
            out.write(' ');
        }
    }

    /** What the input at {@code position} becomes, and how many bytes of it that consumes. */
    private Prefix prefixAt(byte[] input, int position) {
        for (byte[] piece : userDefined) {
            if (Arrays.equals(input, position, Math.min(input.length, position + piece.length), piece, 0,
                    piece.length)) {
                return new Prefix(piece, piece.length);
            }
        }
        if (charsMap != null) {
            long match = charsMap.longestMatch(input, position);
            if (match >= 0) {
                return new Prefix(charsMap.replacement((int) match), (int) (match >>> 32));
            }
        }
        int length = Math.min(input.length - position, utf8Length(input[position]));
        return new Prefix(Arrays.copyOfRange(input, position, position + length), length);
    }

    /** Bytes of the UTF-8 sequence a lead byte starts (the input is valid UTF-8, from a Java string). */
    private static int utf8Length(byte lead) {
        int b = lead & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** A normalized prefix: its replacement bytes and the input bytes it consumed. */
    private record Prefix(byte[] normalized, int consumed) {
        boolean isOneSpace() {
            return normalized.length == 1 && normalized[0] == ' ';
        }
    }
}
