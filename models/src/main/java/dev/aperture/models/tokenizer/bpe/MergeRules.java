package dev.aperture.models.tokenizer.bpe;

import dev.aperture.core.FormatException;

import java.util.List;
import java.util.Map;

/** Turns textual merge rules ("a", "b") into a {@link PairMergeTable}, shared by both loading paths. */
final class MergeRules {
    private MergeRules() {
    }

    /**
     * @param rules  rules in rank order
     * @param vocab  the vocabulary every rule's tokens and result must be in
     * @param prefix continuing_subword_prefix, stripped from the right token when forming the merged token
     *               (as the Rust library does: merged = left + right[prefix length..])
     * @param where  file and component for error messages
     */
    static PairMergeTable toTable(List<String[]> rules, Map<String, Integer> vocab, String prefix, String where) {
        int[] lefts = new int[rules.size()];
        int[] rights = new int[rules.size()];
        int[] merged = new int[rules.size()];
        for (int rank = 0; rank < rules.size(); rank++) {
            String left = rules.get(rank)[0];
            String right = rules.get(rank)[1];
            String mergedText = left + right.substring(Math.min(prefix.length(), right.length()));
            lefts[rank] = idOf(vocab, left, rank, where);
            rights[rank] = idOf(vocab, right, rank, where);
            merged[rank] = idOf(vocab, mergedText, rank, where);
            if (merged[rank] == lefts[rank] || merged[rank] == rights[rank]) {
                // Only an empty token can do this ("a" + "" = "a"): a cycle that merges forever in spirit and
                // never means anything in a real vocabulary.
                throw new FormatException(where + ": rule " + rank + " (\"" + left + "\" + \"" + right
                        + "\") is cyclic: it produces one of its own inputs");
            }
        }
        return new PairMergeTable(lefts, rights, merged);
    }

    private static int idOf(Map<String, Integer> vocab, String token, int rank, String where) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new FormatException(where + ": rule " + rank + " uses \"" + token
                    + "\", which is not in the vocabulary");
        }
        return id;
    }
}
