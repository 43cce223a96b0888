package dev.aperture.models.tokenizer.sentencepiece;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.tokenizer.json.TokenizerFamily;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;
import dev.aperture.models.tokenizer.merge.MergeRules;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

import java.util.Map;
import java.util.Set;

/**
 * SentencePiece-style BPE as tokenizer.json describes it (Gemma, SigLIP 2): a "BPE" model section over text (not
 * bytes) with byte_fallback, normalized by the shared Lowercase and Replace(" " -> "▁") steps and split by the
 * shared Split, decoded by Replace, ByteFallback and Fuse. Runs no component types of its own.
 */
final class GemmaBpeFamily implements TokenizerFamily<ByteFallbackBpe> {
    static final GemmaBpeFamily INSTANCE = new GemmaBpeFamily();

    private GemmaBpeFamily() {
    }

    @Override
    public String name() {
        return "byte-fallback BPE";
    }

    @Override
    public String modelType() {
        return "BPE";
    }

    @Override
    public boolean encodesBytes() {
        return false;
    }

    @Override
    public Set<String> decoders() {
        return Set.of("Replace", "ByteFallback", "Fuse", "Strip");
    }

    @Override
    public ByteFallbackBpe model(JsonNode model, TokenizerJsonReader file) {
        Map<String, Integer> vocab = file.vocab(model.path("vocab"), "model.vocab");
        file.requireNoDropout(model);
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (model.path(affix).isTextual() && !model.path(affix).asText().isEmpty()) {
                throw file.error("model." + affix, "is set; a " + name() + " tokenizer supports none");
            }
        }
        int unkId = file.unknownTokenId(model, vocab);
        PairMergeTable merges = MergeRules.fromJson(model.path("merges"), vocab, "", file);
        return new ByteFallbackBpe(vocab, merges, unkId, model.path("fuse_unk").asBoolean(false),
                model.path("byte_fallback").asBoolean(false), model.path("ignore_merges").asBoolean(false));
    }
}
