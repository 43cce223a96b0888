package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.InputLimits;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.json.TokenizerSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tokenizer of a SigLIP or SigLIP 2 model folder, giving exactly the ids transformers 5 gives with
 * padding="max_length" and truncation: SigLIP's spiece.model (SentencePiece unigram or BPE, behind transformers'
 * SiglipTokenizer canonicalization, "&lt;/s&gt;" appended) or SigLIP 2's Gemma-style tokenizer.json (lowercase,
 * "▁" for spaces, byte-fallback BPE, nothing appended). Rows are always padded to {@link #maxLength()}, because the
 * SigLIP text tower pools the last position; on the right for SiglipTokenizer, on the left for Siglip2Tokenizer,
 * unless tokenizer_config.json's padding_side says otherwise. Immutable, so one instance serves any number of
 * threads.
 */
public final class SiglipTokenizer {
    /** transformers' SiglipTokenizer default model_max_length. */
    private static final int DEFAULT_MAX_LENGTH = 64;

    private final SiglipEncoding encoding;
    private final int maxLength;
    private final int padId;
    private final TokenBatch.Side paddingSide;
    private final int maxTextChars;

    private SiglipTokenizer(SiglipEncoding encoding, int maxLength, int padId, TokenBatch.Side paddingSide,
                            int maxTextChars) {
        this.encoding = encoding;
        this.maxLength = maxLength;
        this.padId = padId;
        this.paddingSide = paddingSide;
        this.maxTextChars = maxTextChars;
    }

    /**
     * Loads the tokenizer of a SigLIP model folder, with tokenizer_config.json (special tokens, model_max_length,
     * padding_side, do_lower_case) and config.json (the text tower's max_position_embeddings, which caps the length).
     * Which definition is read follows transformers 5: tokenizer_config's tokenizer_class ("SiglipTokenizer":
     * spiece.model; "Siglip2Tokenizer", "GemmaTokenizer", "GemmaTokenizerFast": tokenizer.json), else its backend
     * ("sentencepiece" or "tokenizers"), else whichever file is there, tokenizer.json first.
     *
     * @throws InputException  when the folder or the tokenizer file it needs is missing
     * @throws FormatException when a file is malformed or uses something unsupported; the message names the file
     */
    public static SiglipTokenizer load(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        if (!Files.isDirectory(modelDir)) {
            throw new InputException("tokenizer folder " + modelDir + " does not exist or is not a directory");
        }
        TokenizerSettings settings = TokenizerSettings.read(modelDir);
        Path spiece = modelDir.resolve("spiece.model");
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        boolean readsJson = readsTokenizerJson(settings, Files.isRegularFile(spiece),
                Files.isRegularFile(tokenizerJson));
        Path file = readsJson ? tokenizerJson : spiece;
        if (!Files.isRegularFile(file)) {
            throw new InputException("no tokenizer in " + modelDir + ": " + (settings.tokenizerClass() != null
                    ? settings.tokenizerClass() + " (tokenizer_config.json) reads " + file.getFileName()
                    : "looked for tokenizer.json and spiece.model"));
        }
        SiglipEncoding encoding = readsJson ? GemmaJsonEncoding.load(file) : SpieceEncoding.load(file, settings);
        String padToken = settings.padToken() != null ? settings.padToken() : readsJson ? "<pad>" : "</s>";
        int padId = encoding.idOf(padToken);
        if (padId < 0) {
            throw new FormatException(file + ": has no pad token \"" + padToken + "\" (tokenizer_config.json"
                    + " pad_token)");
        }
        return new SiglipTokenizer(encoding, settings.contextLength(DEFAULT_MAX_LENGTH), padId,
                paddingSide(settings, readsJson, modelDir), InputLimits.DEFAULT_MAX_TEXT_CHARS);
    }

    private static boolean readsTokenizerJson(TokenizerSettings settings, boolean hasSpiece, boolean hasJson) {
        String tokenizerClass = settings.tokenizerClass();
        if (tokenizerClass != null) {
            switch (tokenizerClass) {
                case "SiglipTokenizer" -> {
                    return false;
                }
                case "Siglip2Tokenizer", "GemmaTokenizer", "GemmaTokenizerFast" -> {
                    return true;
                }
                default -> { }
            }
        }
        if ("sentencepiece".equals(settings.backend())) {
            return false;
        }
        if ("tokenizers".equals(settings.backend())) {
            return true;
        }
        return hasJson || !hasSpiece;
    }

    private static TokenBatch.Side paddingSide(TokenizerSettings settings, boolean gemma, Path modelDir) {
        if (settings.paddingSide() == null) {
            return gemma ? TokenBatch.Side.LEFT : TokenBatch.Side.RIGHT;
        }
        return switch (settings.paddingSide()) {
            case "right" -> TokenBatch.Side.RIGHT;
            case "left" -> TokenBatch.Side.LEFT;
            default -> throw new FormatException(modelDir.resolve("tokenizer_config.json") + ": padding_side \""
                    + settings.paddingSide() + "\" is neither \"right\" nor \"left\"");
        };
    }

    /**
     * This tokenizer with another limit on text length (default {@link InputLimits#DEFAULT_MAX_TEXT_CHARS}, the
     * model's InputLimits.maxTextChars): longer texts are refused with a {@link ResourceLimitException} before any
     * work is done on them, as every tokenizer here does.
     *
     * @throws InputException when {@code chars} is negative
     */
    public SiglipTokenizer withMaxTextChars(int chars) {
        if (chars < 0) {
            throw new InputException("maxTextChars must be >= 0, got " + chars);
        }
        return new SiglipTokenizer(encoding, maxLength, padId, paddingSide, chars);
    }

    /** The longest text, in UTF-16 chars, this tokenizer accepts. */
    public int maxTextChars() {
        return maxTextChars;
    }

    /**
     * Ids of one text, special tokens included, truncated to {@link #maxLength()}, not padded.
     *
     * @throws InputException         for a null text
     * @throws ResourceLimitException for a text longer than {@link #maxTextChars()}
     */
    public int[] encode(String text) {
        checkText(text, "cannot tokenize a null text");
        return encoding.encode(text, maxLength);
    }

    /**
     * Texts padded to {@link #maxLength()} with {@link #padId()} on the tokenizer's side ({@link #paddingSide()}):
     * SigLIP pools the last position, so padding is always to max_length. The attention mask is 1 at real tokens.
     *
     * @throws InputException         for a null list or a null text
     * @throws ResourceLimitException for a text longer than {@link #maxTextChars()} (checked before any is encoded)
     */
    public TokenBatch encodeBatch(List<String> texts) {
        if (texts == null) {
            throw new InputException("encodeBatch needs a list of texts, got null");
        }
        for (int i = 0; i < texts.size(); i++) {
            checkText(texts.get(i), "text " + i + " of the batch is null");
        }
        List<int[]> rows = new ArrayList<>(texts.size());
        for (String text : texts) {
            rows.add(encoding.encode(text, maxLength));
        }
        return TokenBatch.padded(rows, padId, maxLength, paddingSide);
    }

    /**
     * Text of token ids, best effort, as transformers' decode(ids, skip_special_tokens=True): special tokens
     * (padding, "&lt;/s&gt;", "&lt;unk&gt;", ...) are dropped, "▁" becomes a space, byte tokens are decoded as UTF-8
     * (malformed bytes become U+FFFD). The spiece.model tokenizer strips the result, as SiglipTokenizer does. Since
     * the tokenizers lowercase (and SigLIP's drops punctuation), this gives the normalized text, not the original.
     *
     * @throws InputException for an id outside the vocabulary
     */
    public String decode(int[] ids) {
        if (ids == null) {
            throw new InputException("cannot decode null ids");
        }
        return encoding.decode(ids);
    }

    /** Length of every encoded row, special tokens included: model_max_length capped by max_position_embeddings. */
    public int maxLength() {
        return maxLength;
    }

    /** Id padding rows ("&lt;/s&gt;" for SigLIP, "&lt;pad&gt;" for SigLIP 2). */
    public int padId() {
        return padId;
    }

    /** Which side rows are padded on. */
    public TokenBatch.Side paddingSide() {
        return paddingSide;
    }

    /** Number of tokens in the vocabulary (the text tower's embedding rows). */
    public int vocabSize() {
        return encoding.vocabSize();
    }

    private void checkText(String text, String nullMessage) {
        if (text == null) {
            throw new InputException(nullMessage);
        }
        if (text.length() > maxTextChars) {
            throw new ResourceLimitException("text of " + text.length() + " characters is longer than the limit of "
                    + maxTextChars + " characters (InputLimits.maxTextChars)");
        }
    }
}
