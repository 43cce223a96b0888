package dev.aperture.models.tokenizer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns textual merge rules ("a", "b") into a {@link PairMergeTable}, for every loading path: tokenizer.json's
 * model.merges (byte-level and byte-fallback BPE) and merges.txt.
 */
public final class MergeRules {
    private MergeRules() {
    }

    /**
     * @param rules  rules in rank order
     * @param vocab  the vocabulary every rule's tokens and result must be in
     * @param prefix continuing_subword_prefix, stripped from the right token when forming the merged token
     *               (as the Rust library does: merged = left + right[prefix length..])
     * @param where  file and component for error messages
     */
    public static PairMergeTable toTable(List<String[]> rules, Map<String, Integer> vocab, String prefix, String where) {
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

    /**
     * The rules of tokenizer.json's model.merges, each "a b" or ["a", "b"], against the model's vocabulary.
     *
     * @param prefix continuing_subword_prefix ("" for none)
     */
    public static PairMergeTable fromJson(JsonNode node, Map<String, Integer> vocab, String prefix,
                                          TokenizerJsonReader file) {
        if (!node.isArray()) {
            throw file.error("model.merges", "is missing or not a list");
        }
        List<String[]> rules = new ArrayList<>(node.size());
        for (JsonNode rule : node) {
            if (rule.isTextual()) {
                String[] parts = rule.asText().split(" ", -1);
                if (parts.length != 2) {
                    throw file.error("model.merges", "has a rule that is not two tokens separated by one space: \""
                            + rule.asText() + "\"");
                }
                rules.add(parts);
            } else if (rule.isArray() && rule.size() == 2 && rule.get(0).isTextual() && rule.get(1).isTextual()) {
                rules.add(new String[] {rule.get(0).asText(), rule.get(1).asText()});
            } else {
                throw file.error("model.merges", "has a rule that is neither \"a b\" nor [\"a\", \"b\"]: " + rule);
            }
        }
        return toTable(rules, vocab, prefix, file.where("model.merges"));
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
