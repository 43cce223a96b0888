package dev.aperture.models.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * One family of tokenizers as {@link TokenizerJsonReader} reads them from tokenizer.json: the "model" section it
 * dispatches to (by {@code model.type}), and what the family runs beyond the components every family shares.
 * Each family lives in its own package ({@code tokenizer.bpe}, {@code tokenizer.wordpiece}); a new one (SentencePiece)
 * adds its model, its own component types and a family, and reuses the reader and the shared components.
 *
 * @param <M> the model the family reads from the "model" section
 */
public interface TokenizerFamily<M> {

    /** The family as messages name it: "byte-level BPE", "WordPiece". */
    String name();

    /** The {@code model.type} of its files: "BPE", "WordPiece". */
    String modelType();

    /**
     * Whether its model encodes the UTF-8 bytes of each word, so the pre-tokenizer must end with ByteLevel; a family
     * whose model encodes text refuses ByteLevel.
     */
    boolean encodesBytes();

    /**
     * The decoder types whose output the family's {@code decode} reproduces, besides Sequence; empty for a family
     * without {@code decode}, which leaves the decoder unread.
     */
    Set<String> decoders();

    /**
     * Reads the "model" section, whose type the reader has checked; problems are reported with
     * {@link TokenizerJsonReader#error}.
     */
    M model(JsonNode model, TokenizerJsonReader file);

    /**
     * A normalizer step of a type only this family runs (WordPiece: BertNormalizer), or null when the family does
     * not run {@code type}; the reader then refuses it.
     */
    default TextNormalizer.Step normalizer(String type, JsonNode node, String component, TokenizerJsonReader file) {
        return null;
    }

    /** A pre-tokenizer step of a type only this family runs (WordPiece: BertPreTokenizer), or null. */
    default PreTokenizer.Step preTokenizer(String type, JsonNode node, String component, TokenizerJsonReader file) {
        return null;
    }

    /** The ids put around each text when the file has no post-processor: by default none. */
    default PostProcessor postProcessorWhenAbsent(M model, TokenizerJsonReader file) {
        return PostProcessor.NONE;
    }
}
