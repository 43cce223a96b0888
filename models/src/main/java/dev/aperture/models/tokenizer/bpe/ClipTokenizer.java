package dev.aperture.models.tokenizer.bpe;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.InputLimits;
import dev.aperture.models.tokenizer.json.AddedToken;
import dev.aperture.models.tokenizer.json.IntList;
import dev.aperture.models.tokenizer.json.PieceSplitter;
import dev.aperture.models.tokenizer.json.PostProcessor;
import dev.aperture.models.tokenizer.json.PreTokenizer;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;
import dev.aperture.models.tokenizer.json.TokenizerPipeline;
import dev.aperture.models.tokenizer.json.TokenizerSettings;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CLIP's byte-level BPE tokenizer, giving exactly the ids of the Hugging Face fast tokenizer (the Rust
 * {@code tokenizers} library). For each text:
 * <ol>
 *   <li>lone UTF-16 surrogates become U+FFFD (what UTF-8 encoding with replacement does; the Rust library only
 *       ever sees valid UTF-8);</li>
 *   <li>added tokens marked un-normalized are cut out of the raw text; each remaining segment is normalized
 *       (NFC, whitespace runs to one space, lowercase) and then cut at added tokens marked normalized;</li>
 *   <li>each plain segment is split into pieces (CLIP's regex), each piece into byte-level words (GPT-2's regex),
 *       each word is BPE-encoded with the "&lt;/w&gt;" end-of-word suffix;</li>
 *   <li>the post-processor wraps the ids: BOS, ids, EOS.</li>
 * </ol>
 * Steps 1 and 2, and step 3's split into pieces, are the stages every tokenizer shares ({@link PieceSplitter}).
 * Immutable after {@link #load}, so one instance serves any number of threads; BPE results per piece are kept in a
 * bounded concurrent cache.
 */
public final class ClipTokenizer {
    private static final int CACHE_CAPACITY = 50_000;

    private final PieceSplitter splitter;
    private final PreTokenizer.ByteLevel byteLevel;
    private final BpeModel bpe;
    private final PostProcessor postProcessor;
    private final WordCache cache;
    private final String[] tokenTextById;
    private final boolean[] specialById;
    private final int contextLength;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int maxTextChars;

    private ClipTokenizer(TokenizerPipeline<BpeModel> pipeline, TokenizerSettings settings) {
        this.splitter = PieceSplitter.of(pipeline);
        this.byteLevel = pipeline.preTokenizer().byteLevel();
        this.bpe = pipeline.model();
        this.postProcessor = pipeline.postProcessor();
        this.maxTextChars = InputLimits.DEFAULT_MAX_TEXT_CHARS;
        this.cache = new WordCache(CACHE_CAPACITY);
        Map<String, Integer> ids = new HashMap<>(bpe.vocab());
        pipeline.addedTokens().forEach(t -> ids.put(t.content(), t.id()));
        int maxId = ids.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.tokenTextById = new String[maxId + 1];
        ids.forEach((text, id) -> tokenTextById[id] = text);
        this.specialById = new boolean[maxId + 1];
        pipeline.addedTokens().stream().filter(AddedToken::special).forEach(t -> specialById[t.id()] = true);
        int[] prefix = postProcessor.prefixIds();
        int[] suffix = postProcessor.suffixIds();
        this.contextLength = Math.max(settings.contextLength(), postProcessor.addedIdCount() + 1);
        this.bosId = prefix.length > 0 ? prefix[0] : idOf(settings.bosToken(), ids, -1);
        this.eosId = suffix.length > 0 ? suffix[suffix.length - 1] : idOf(settings.eosToken(), ids, -1);
        int configuredPad = idOf(settings.padToken(), ids, pipeline.padId());
        this.padId = configuredPad >= 0 ? configuredPad : eosId;
    }

    /** A copy with another text-length limit; everything else (and the word cache) is shared. */
    private ClipTokenizer(ClipTokenizer other, int maxTextChars) {
        this.splitter = other.splitter;
        this.byteLevel = other.byteLevel;
        this.bpe = other.bpe;
        this.postProcessor = other.postProcessor;
        this.cache = other.cache;
        this.tokenTextById = other.tokenTextById;
        this.specialById = other.specialById;
        this.contextLength = other.contextLength;
        this.bosId = other.bosId;
        this.eosId = other.eosId;
        this.padId = other.padId;
        this.maxTextChars = maxTextChars;
    }

    /**
     * This tokenizer with another limit on text length (default {@link InputLimits#DEFAULT_MAX_TEXT_CHARS}):
     * longer texts are refused with a {@link ResourceLimitException} before any work is done on them.
     */
    public ClipTokenizer withMaxTextChars(int chars) {
        if (chars < 0) {
            throw new InputException("maxTextChars must be >= 0, got " + chars);
        }
        return new ClipTokenizer(this, chars);
    }

    /** The longest text, in UTF-16 chars, this tokenizer accepts. */
    public int maxTextChars() {
        return maxTextChars;
    }

    private static int idOf(String token, Map<String, Integer> ids, int fallback) {
        Integer id = token == null ? null : ids.get(token);
        return id == null ? fallback : id;
    }

    /**
     * Loads the tokenizer of a model folder: tokenizer.json when present, else vocab.json + merges.txt (with
     * tokenizer_config.json / special_tokens_map.json for the special tokens).
     *
     * @throws InputException  when the folder has neither tokenizer.json nor vocab.json + merges.txt
     * @throws dev.aperture.core.FormatException when a file is malformed or uses an unsupported component
     */
    public static ClipTokenizer load(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        if (!Files.isDirectory(modelDir)) {
            throw new InputException("tokenizer folder " + modelDir + " does not exist or is not a directory");
        }
        TokenizerSettings settings = TokenizerSettings.read(modelDir);
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return new ClipTokenizer(TokenizerJsonReader.read(tokenizerJson, BpeFamily.INSTANCE), settings);
        }
        Path vocab = modelDir.resolve("vocab.json");
        Path merges = modelDir.resolve("merges.txt");
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            return new ClipTokenizer(VocabMergesReader.read(vocab, merges, settings), settings);
        }
        throw new InputException("no tokenizer in " + modelDir + ": looked for tokenizer.json, or vocab.json"
                + " together with merges.txt" + (Files.isRegularFile(vocab) ? " (merges.txt is missing)"
                : Files.isRegularFile(merges) ? " (vocab.json is missing)" : ""));
    }

    /** Token ids of {@code text} with BOS and EOS, neither truncated nor padded. */
    public int[] encode(String text) {
        int[] content = encodeContent(text);
        return postProcessor.wrap(content, content.length);
    }

    /**
     * Encodes a batch: each text truncated so that it fits {@link #contextLength()} with BOS and EOS (the EOS is
     * kept at the end), then padded on the right with {@link #padId()}.
     */
    public TokenBatch encodeBatch(List<String> texts, Padding padding) {
        if (texts == null || padding == null) {
            throw new InputException("encodeBatch needs a list of texts and a padding mode, got "
                    + (texts == null ? "no texts" : "no padding"));
        }
        for (int i = 0; i < texts.size(); i++) {
            checkLength(texts.get(i));  // every text, before any is tokenized
        }
        int specials = postProcessor.addedIdCount();
        int[][] rows = new int[texts.size()][];
        int width = padding == Padding.MAX_LENGTH ? contextLength : 0;
        for (int i = 0; i < rows.length; i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new InputException("text " + i + " of the batch is null");
            }
            int[] content = encodeContent(text);
            rows[i] = postProcessor.wrap(content, Math.min(content.length, contextLength - specials));
            width = Math.max(width, rows[i].length);
        }
        return TokenBatch.padded(Arrays.asList(rows), padId, width);
    }

    /** Maximum sequence length the text tower accepts, BOS and EOS included (77 for CLIP). */
    public int contextLength() {
        return contextLength;
    }

    /** Id of the start-of-text token. */
    public int bosId() {
        return bosId;
    }

    /** Id of the end-of-text token. */
    public int eosId() {
        return eosId;
    }

    /** Id used for padding (CLIP pads with the end-of-text token). */
    public int padId() {
        return padId;
    }

    /**
     * Text of token ids: special tokens (BOS, EOS, padding) are dropped, the end-of-word suffix becomes a space,
     * bytes are decoded as UTF-8 (invalid sequences become U+FFFD) and the result is trimmed. Since the
     * tokenizer lowercases and collapses whitespace, this gives back the normalized text, not the original.
     *
     * @throws InputException for an id outside the vocabulary
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= tokenTextById.length || tokenTextById[id] == null) {
                throw new InputException("cannot decode token id " + id + ": not in the vocabulary");
            }
            if (specialById[id]) {
                continue;
            }
            ByteLevelAlphabet.appendBytes(tokenTextById[id].replace("</w>", " "), bytes);
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    /** The ids of a text without post-processing. */
    private int[] encodeContent(String text) {
        if (text == null) {
            throw new InputException("cannot tokenize a null text");
        }
        checkLength(text);
        IntList out = new IntList();
        splitter.split(text, out::add, piece -> out.addAll(cache.get(piece, this::encodePiece)));
        return out.toArray();
    }

    private int[] encodePiece(String piece) {
        List<byte[]> words = byteLevel.words(piece);
        if (words.size() == 1) {
            return bpe.encodeWord(words.getFirst());
        }
        IntList ids = new IntList();
        for (byte[] word : words) {
            ids.addAll(bpe.encodeWord(word));
        }
        return ids.toArray();
    }

    private void checkLength(String text) {
        if (text != null && text.length() > maxTextChars) {
            throw new ResourceLimitException("text of " + text.length() + " characters (starting \""
                    + preview(text) + "\") is longer than the limit of " + maxTextChars
                    + " characters (InputLimits.maxTextChars)");
        }
    }

    /** The first characters of a text, for messages. */
    private static String preview(String text) {
        int end = Math.min(text.length(), 24);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + (end < text.length() ? "..." : "");
    }
}
