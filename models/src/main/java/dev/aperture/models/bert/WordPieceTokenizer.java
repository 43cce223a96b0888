package dev.aperture.models.bert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.TokenBatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer, loaded from a Hugging Face {@code tokenizer.json}, reproducing the Rust
 * {@code tokenizers} pipeline exactly:
 * <ol>
 *   <li>added tokens ({@code [CLS]}, {@code [SEP]}, {@code [MASK]}, ...) written literally in the text are matched
 *       first, case-sensitively, leftmost-longest, and become their ids;</li>
 *   <li>the text between them goes through {@link BertNormalizer} and {@link BertPreTokenizer};</li>
 *   <li>each word is split greedily into the longest vocabulary pieces, continuation pieces prefixed with
 *       {@code ##}; a word longer than {@code max_input_chars_per_word} characters, or with any part that matches
 *       no piece, becomes one {@code [UNK]};</li>
 *   <li>the pieces are truncated to {@code maxLength - 2} and wrapped as {@code [CLS] ... [SEP]}.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Used when tokenizer.json has no truncation section: BERT's position-embedding count. */
    public static final int DEFAULT_MAX_LENGTH = 512;

    private final Map<String, Integer> vocab;
    private final List<AddedToken> addedTokens;
    private final BertNormalizer normalizer;
    private final String unkToken;
    private final String continuingPrefix;
    private final int maxInputCharsPerWord;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final int maxLength;

    private record AddedToken(String content, int id) {
    }

    private WordPieceTokenizer(Map<String, Integer> vocab, List<AddedToken> addedTokens, BertNormalizer normalizer,
                               String unkToken, String continuingPrefix, int maxInputCharsPerWord,
                               int clsId, int sepId, int padId, int maxLength) {
        this.vocab = vocab;
        this.addedTokens = addedTokens;
        this.normalizer = normalizer;
        this.unkToken = unkToken;
        this.continuingPrefix = continuingPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.clsId = clsId;
        this.sepId = sepId;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    /**
     * Reads a {@code tokenizer.json} with a WordPiece model.
     *
     * @throws InputException  when the file cannot be read
     * @throws FormatException when it is not JSON, not a WordPiece/BERT tokenizer, or misses a required token
     */
    public static WordPieceTokenizer load(Path tokenizerJson) {
        String text;
        try {
            text = Files.readString(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new InputException("Tokenizer file not found: " + tokenizerJson, e);
        } catch (IOException e) {
            throw new InputException("Cannot read tokenizer file " + tokenizerJson + ": " + e.getMessage(), e);
        }
        return parse(text, tokenizerJson.toString());
    }

    /** Parses the text of a {@code tokenizer.json}; {@code sourceName} names it in error messages. */
    public static WordPieceTokenizer parse(String json, String sourceName) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new FormatException("Tokenizer file " + sourceName + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException("Tokenizer file " + sourceName + " does not hold a JSON object");
        }
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText(null))) {
            throw new FormatException("Tokenizer file " + sourceName + " has model type '"
                    + model.path("type").asText("missing") + "'; only WordPiece is supported");
        }
        Map<String, Integer> vocab = readVocab(model.path("vocab"), sourceName);
        String unkToken = model.path("unk_token").asText("[UNK]");
        requireToken(vocab, unkToken, sourceName);
        List<AddedToken> added = readAddedTokens(root.path("added_tokens"), sourceName);
        int clsId = requireToken(vocab, "[CLS]", sourceName);
        int sepId = requireToken(vocab, "[SEP]", sourceName);
        int padId = root.path("padding").path("pad_id").asInt(vocab.getOrDefault("[PAD]", 0));
        int maxLength = root.path("truncation").path("max_length").asInt(DEFAULT_MAX_LENGTH);
        if (maxLength < 2) {
            throw new FormatException("Tokenizer file " + sourceName + " has truncation max_length " + maxLength
                    + "; at least 2 are needed for [CLS] and [SEP]");
        }
        return new WordPieceTokenizer(vocab, added, readNormalizer(root.path("normalizer"), sourceName),
                unkToken, model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100), clsId, sepId, padId, maxLength);
    }

    private static Map<String, Integer> readVocab(JsonNode vocabNode, String sourceName) {
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new FormatException("Tokenizer file " + sourceName + " has no model.vocab object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Map.Entry<String, JsonNode> entry : vocabNode.properties()) {
            if (!entry.getValue().canConvertToInt()) {
                throw new FormatException("Tokenizer file " + sourceName + ": vocab entry '" + entry.getKey()
                        + "' has id " + entry.getValue() + ", not an integer");
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        return Map.copyOf(vocab);
    }

    private static List<AddedToken> readAddedTokens(JsonNode node, String sourceName) {
        List<AddedToken> added = new ArrayList<>();
        for (JsonNode token : node) {
            String content = token.path("content").asText("");
            if (content.isEmpty() || !token.path("id").canConvertToInt()) {
                throw new FormatException("Tokenizer file " + sourceName + " has a malformed added token: " + token);
            }
            added.add(new AddedToken(content, token.path("id").asInt()));
        }
        // Leftmost-longest matching: at one position, the longest token wins.
        added.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
        return List.copyOf(added);
    }

    private static BertNormalizer readNormalizer(JsonNode node, String sourceName) {
        if (node.isMissingNode() || node.isNull()) {
            return new BertNormalizer(false, false, false, false);
        }
        if (!"BertNormalizer".equals(node.path("type").asText(null))) {
            throw new FormatException("Tokenizer file " + sourceName + " has normalizer type '"
                    + node.path("type").asText("missing") + "'; only BertNormalizer is supported");
        }
        boolean lowercase = node.path("lowercase").asBoolean(true);
        JsonNode stripAccents = node.path("strip_accents");
        return new BertNormalizer(node.path("clean_text").asBoolean(true),
                node.path("handle_chinese_chars").asBoolean(true),
                stripAccents.isBoolean() ? stripAccents.asBoolean() : lowercase, lowercase);
    }

    private static int requireToken(Map<String, Integer> vocab, String token, String sourceName) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new FormatException("Tokenizer file " + sourceName + " has no '" + token + "' in its vocabulary");
        }
        return id;
    }

    /** Most tokens per text, [CLS] and [SEP] included; longer texts are truncated. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The same tokenizer truncating at {@code newMaxLength} tokens instead, e.g. sentence-transformers'
     * {@code max_seq_length}.
     */
    public WordPieceTokenizer withMaxLength(int newMaxLength) {
        if (newMaxLength < 2) {
            throw new InputException("Max length " + newMaxLength
                    + " leaves no room for [CLS] and [SEP]");
        }
        return new WordPieceTokenizer(vocab, addedTokens, normalizer, unkToken, continuingPrefix, maxInputCharsPerWord,
                clsId, sepId, padId, newMaxLength);
    }

    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return vocab.size();
    }

    /** The ids of {@code text}: {@code [CLS]}, at most {@code maxLength - 2} word pieces, {@code [SEP]}. */
    public int[] encode(String text) {
        List<Integer> pieces = new ArrayList<>();
        int segmentStart = 0;
        int position = 0;
        while (position < text.length()) {
            AddedToken match = addedTokenAt(text, position);
            if (match == null) {
                position++;
                continue;
            }
            tokenizeSegment(text.substring(segmentStart, position), pieces);
            pieces.add(match.id());
            position += match.content().length();
            segmentStart = position;
        }
        tokenizeSegment(text.substring(segmentStart), pieces);

        int kept = Math.min(pieces.size(), maxLength - 2);
        int[] ids = new int[kept + 2];
        ids[0] = clsId;
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = pieces.get(i);
        }
        ids[kept + 1] = sepId;
        return ids;
    }

    /** Encodes every text and right-pads them with the pad id to the longest. */
    public TokenBatch encodeBatch(List<String> texts) {
        List<int[]> encoded = new ArrayList<>(texts.size());
        for (String text : texts) {
            encoded.add(encode(text));
        }
        return TokenBatch.padded(encoded, padId);
    }

    private AddedToken addedTokenAt(String text, int position) {
        for (AddedToken token : addedTokens) {
            if (text.startsWith(token.content(), position)) {
                return token;
            }
        }
        return null;
    }

    private void tokenizeSegment(String segment, List<Integer> out) {
        if (segment.isEmpty()) {
            return;
        }
        for (String word : BertPreTokenizer.split(normalizer.normalize(segment))) {
            wordPiece(word, out);
        }
    }

    /** Greedy longest-match-first split of one word; the whole word is [UNK] if any part matches nothing. */
    private void wordPiece(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.add(vocab.get(unkToken));
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer pieceId = null;
            while (end > start) {
                String piece = word.substring(start, end);
                if (start > 0) {
                    piece = continuingPrefix + piece;
                }
                pieceId = vocab.get(piece);
                if (pieceId != null) {
                    break;
                }
                // Step back one code point, never into the middle of a surrogate pair.
                end -= Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 >= start ? 2 : 1;
            }
            if (pieceId == null) {
                out.add(vocab.get(unkToken));
                return;
            }
            pieces.add(pieceId);
            start = end;
        }
        out.addAll(pieces);
    }
}
