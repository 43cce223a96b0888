package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.tokenizer.json.TokenizerFamily;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Byte-level BPE as tokenizer.json describes it (CLIP, GPT-2): a "BPE" model section over byte-level symbols, a
 * pre-tokenizer ending with ByteLevel, decoded by ByteLevel (or BPEDecoder, which only turns the end-of-word
 * suffix into a space). Runs no component types of its own beyond those the reader shares.
 */
final class BpeFamily implements TokenizerFamily<BpeModel> {
    static final BpeFamily INSTANCE = new BpeFamily();

    private BpeFamily() {
    }

    @Override
    public String name() {
        return "byte-level BPE";
    }

    @Override
    public String modelType() {
        return "BPE";
    }

    @Override
    public boolean encodesBytes() {
        return true;
    }

    @Override
    public Set<String> decoders() {
        return Set.of("ByteLevel", "BPEDecoder");
    }

    @Override
    public BpeModel model(JsonNode model, TokenizerJsonReader file) {
        Map<String, Integer> vocab = file.vocab(model.path("vocab"), "model.vocab");
        if (!TokenizerJsonReader.isAbsent(model.get("dropout")) && model.get("dropout").asDouble() != 0.0) {
            throw file.error("model.dropout", "is set; BPE dropout is random and not supported");
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw file.error("model.byte_fallback", "is true; not supported");
        }
        String prefix = model.path("continuing_subword_prefix").isTextual()
                ? model.path("continuing_subword_prefix").asText() : "";
        String suffix = model.path("end_of_word_suffix").isTextual() ? model.path("end_of_word_suffix").asText() : "";
        int unkId = -1;
        if (model.path("unk_token").isTextual()) {
            Integer id = vocab.get(model.path("unk_token").asText());
            if (id == null) {
                throw file.error("model.unk_token", "\"" + model.path("unk_token").asText()
                        + "\" is not in the vocabulary");
            }
            unkId = id;
        }
        PairMergeTable merges = mergeTable(model.path("merges"), vocab, prefix, file);
        return new BpeModel(vocab, merges, unkId, model.path("fuse_unk").asBoolean(false),
                model.path("ignore_merges").asBoolean(false), prefix, suffix);
    }

    private static PairMergeTable mergeTable(JsonNode node, Map<String, Integer> vocab, String prefix,
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
        return MergeRules.toTable(rules, vocab, prefix, file.where("model.merges"));
    }
}
