package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.tokenizer.json.TokenizerFamily;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;
import dev.aperture.models.tokenizer.merge.MergeRules;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

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
        file.requireNoDropout(model);
        if (model.path("byte_fallback").asBoolean(false)) {
            throw file.error("model.byte_fallback", "is true; not supported");
        }
        String prefix = model.path("continuing_subword_prefix").isTextual()
                ? model.path("continuing_subword_prefix").asText() : "";
        String suffix = model.path("end_of_word_suffix").isTextual() ? model.path("end_of_word_suffix").asText() : "";
        int unkId = file.unknownTokenId(model, vocab);
        PairMergeTable merges = MergeRules.fromJson(model.path("merges"), vocab, prefix, file);
        return new BpeModel(vocab, merges, unkId, model.path("fuse_unk").asBoolean(false),
                model.path("ignore_merges").asBoolean(false), prefix, suffix);
    }
}
