package dev.aperture.models.tokenizer.json;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds added tokens in text the way the Rust library's Aho-Corasick matcher (leftmost-longest) does: scanning
 * left to right, the longest token starting at the earliest position wins, and matches never overlap.
 */
final class AddedTokenMatcher {

    /** A run of text: either an added token's id, or plain text (tokenId = -1) to tokenize normally. */
    record Segment(String text, int tokenId) {
        boolean isToken() {
            return tokenId >= 0;
        }
    }

    /** Candidate tokens by first character, longest first. */
    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();
    /** The first characters of all tokens, so the scan skips most positions without a map lookup. */
    private final BitSet firstChars = new BitSet();

    /**
     * @param tokens    the tokens to match
     * @param contentOf the text each token matches (its content, or its normalized content)
     */
    AddedTokenMatcher(List<AddedToken> tokens, Function<AddedToken, String> contentOf) {
        Map<Character, List<AddedToken>> grouped = new HashMap<>();
        for (AddedToken token : tokens) {
            String content = contentOf.apply(token);
            if (content.isEmpty()) {
                continue;
            }
            AddedToken keyed = new AddedToken(token.id(), content, token.normalized(), token.lstrip(),
                    token.rstrip(), token.special());
            grouped.computeIfAbsent(content.charAt(0), c -> new ArrayList<>()).add(keyed);
        }
        grouped.forEach((c, list) -> {
            list.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
            byFirstChar.put(c, List.copyOf(list));
            firstChars.set(c);
        });
    }

    boolean isEmpty() {
        return byFirstChar.isEmpty();
    }

    /** Cuts text into plain and token segments, in order; empty plain segments are omitted. */
    List<Segment> split(String text) {
        List<Segment> segments = new ArrayList<>(1);
        if (byFirstChar.isEmpty()) {
            segments.add(new Segment(text, -1));
            return segments;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = longestAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            int start = i;
            int end = i + match.content().length();
            if (match.lstrip()) {
                while (start > plainStart && Character.isWhitespace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (match.rstrip()) {
                while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
            }
            if (start > plainStart) {
                segments.add(new Segment(text.substring(plainStart, start), -1));
            }
            segments.add(new Segment(text.substring(start, end), match.id()));
            plainStart = end;
            i = end;
        }
        if (plainStart < text.length()) {
            segments.add(new Segment(text.substring(plainStart), -1));
        }
        return segments;
    }

    private AddedToken longestAt(String text, int position) {
        if (!firstChars.get(text.charAt(position))) {
            return null;
        }
        List<AddedToken> candidates = byFirstChar.get(text.charAt(position));
        if (candidates == null) {
            return null;
        }
        for (AddedToken candidate : candidates) {
            if (text.startsWith(candidate.content(), position)) {
                return candidate;
            }
        }
        return null;
    }
}
