package dev.aperture.models.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.tokenizer.json.PostProcessor;
import dev.aperture.models.tokenizer.json.PreTokenizer;
import dev.aperture.models.tokenizer.json.TextNormalizer;
import dev.aperture.models.tokenizer.json.TokenizerFamily;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;

import java.util.Map;
import java.util.Set;

/**
 * WordPiece as tokenizer.json describes it (BERT): a "WordPiece" model section over text, BERT's own normalizer and
 * pre-tokenizer types, and BertProcessing's [CLS] ... [SEP] when the file has no post-processor.
 */
final class WordPieceFamily implements TokenizerFamily<WordPieceModel> {
    static final WordPieceFamily INSTANCE = new WordPieceFamily();

    private WordPieceFamily() {
    }

    @Override
    public String name() {
        return "WordPiece";
    }

    @Override
    public String modelType() {
        return "WordPiece";
    }

    @Override
    public boolean encodesBytes() {
        return false;
    }

    /** None: the WordPiece tokenizer does not decode. */
    @Override
    public Set<String> decoders() {
        return Set.of();
    }

    @Override
    public WordPieceModel model(JsonNode model, TokenizerJsonReader file) {
        Map<String, Integer> vocab = file.vocab(model.path("vocab"), "model.vocab");
        String unkToken = model.path("unk_token").asText("[UNK]");
        return new WordPieceModel(vocab, requireToken(vocab, unkToken, "model.unk_token", file),
                model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100));
    }

    @Override
    public TextNormalizer.Step normalizer(String type, JsonNode node, String component, TokenizerJsonReader file) {
        if (!type.equals("BertNormalizer")) {
            return null;
        }
        boolean lowercase = node.path("lowercase").asBoolean(true);
        JsonNode stripAccents = node.path("strip_accents");
        return new BertNormalizer(node.path("clean_text").asBoolean(true),
                node.path("handle_chinese_chars").asBoolean(true),
                stripAccents.isBoolean() ? stripAccents.asBoolean() : lowercase, lowercase);
    }

    @Override
    public PreTokenizer.Step preTokenizer(String type, JsonNode node, String component, TokenizerJsonReader file) {
        return type.equals("BertPreTokenizer") ? new BertPreTokenizer() : null;
    }

    /** BertProcessing's defaults: [CLS] before the text, [SEP] after it. */
    @Override
    public PostProcessor postProcessorWhenAbsent(WordPieceModel model, TokenizerJsonReader file) {
        String role = "which BertProcessing, used when the file has no post_processor, puts around every text";
        return new PostProcessor(new int[] {requireToken(model.vocab(), "[CLS]", role, file)},
                new int[] {requireToken(model.vocab(), "[SEP]", role, file)});
    }

    private static int requireToken(Map<String, Integer> vocab, String token, String role, TokenizerJsonReader file) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw file.error("model.vocab", "has no \"" + token + "\" (" + role + ")");
        }
        return id;
    }
}
