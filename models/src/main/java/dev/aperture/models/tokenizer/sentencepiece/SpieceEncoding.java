package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.json.AddedToken;
import dev.aperture.models.tokenizer.json.IntList;
import dev.aperture.models.tokenizer.json.PieceSplitter;
import dev.aperture.models.tokenizer.json.PreTokenizer;
import dev.aperture.models.tokenizer.json.TextNormalizer;
import dev.aperture.models.tokenizer.json.TokenizerSettings;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * transformers' SiglipTokenizer over spiece.model, step by step as its tokenize and prepare_for_model run:
 * <ol>
 *   <li>"▁" is put before the text (and any "▁" in it becomes a space): the dummy prefix, since the SentencePiece
 *       model is loaded with add_dummy_prefix turned off;</li>
 *   <li>with do_lower_case the text is lowercased (Python's str.lower) outside the special tokens, and the special
 *       tokens ("&lt;/s&gt;", "&lt;unk&gt;", and any in tokenizer_config's added_tokens_decoder) are cut out;</li>
 *   <li>each other chunk is canonicalized (ASCII punctuation removed, whitespace runs to one space, stripped) and
 *       SentencePiece-encoded behind the text of the unknown token, whose pieces are then dropped: transformers'
 *       trick for encoding a chunk without SentencePiece stripping its leading "▁";</li>
 *   <li>a lone "▁" piece right before a special token is dropped;</li>
 *   <li>the ids are truncated to leave room for "&lt;/s&gt;", which is appended unless they already end with it.</li>
 * </ol>
 */
final class SpieceEncoding implements SiglipEncoding {
    private static final String SPIECE_UNDERLINE = "\u2581";
    /** Python's string.punctuation. */
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final SentencePieceEncoder encoder;
    private final PieceSplitter splitter;
    private final String unkToken;
    private final int unkPrefixPieces;
    private final int eosId;
    private final int underlineId;
    private final boolean[] specialById;
    private final Map<String, Integer> addedIds = new HashMap<>();

    private SpieceEncoding(SentencePieceModel model, TokenizerSettings settings) {
        this.encoder = new SentencePieceEncoder(model, false);
        this.unkToken = settings.unkToken() != null ? settings.unkToken() : "<unk>";
        String eosToken = settings.eosToken() != null ? settings.eosToken() : "</s>";
        String padToken = settings.padToken() != null ? settings.padToken() : "</s>";
        List<AddedToken> special = specialTokens(model, settings, List.of(eosToken, unkToken, padToken));
        special.forEach(t -> addedIds.putIfAbsent(t.content(), t.id()));
        this.specialById = new boolean[model.size()];
        special.stream().filter(AddedToken::special).forEach(t -> specialById[t.id()] = true);
        this.eosId = addedIds.get(eosToken);
        boolean lowercase = settings.doLowerCase() == null || settings.doLowerCase();
        this.splitter = new PieceSplitter(matchedTokens(special, lowercase),
                new TextNormalizer(lowercase ? List.of(SpieceEncoding::pythonLower) : List.of()),
                new PreTokenizer(List.of(), null));
        this.unkPrefixPieces = encoder.encode(unkToken).length;
        this.underlineId = model.textPieceIds().getOrDefault(SPIECE_UNDERLINE, -1);
    }

    /** The encoding of {@code spiece} with the settings of its folder. */
    static SpieceEncoding load(Path spiece, TokenizerSettings settings) {
        return new SpieceEncoding(SentencePieceModel.read(spiece), settings);
    }

    /**
     * The special tokens: tokenizer_config's added_tokens_decoder, plus the named eos/unk/pad tokens, each of which
     * must be a piece of the model.
     */
    private static List<AddedToken> specialTokens(SentencePieceModel model, TokenizerSettings settings,
                                                  List<String> named) {
        List<AddedToken> tokens = new ArrayList<>();
        for (AddedToken token : settings.addedTokens()) {
            if (token.id() >= model.size()) {
                throw new FormatException("tokenizer_config.json: added token \"" + token.content() + "\" has id "
                        + token.id() + ", beyond the " + model.size() + " pieces of " + model.source());
            }
            tokens.add(new AddedToken(token.id(), token.content(), false, token.lstrip(), token.rstrip(),
                    token.special()));
        }
        for (String name : named) {
            if (tokens.stream().noneMatch(t -> t.content().equals(name))) {
                int id = pieceId(model, name);
                tokens.add(new AddedToken(id, name, false, false, false, true));
            }
        }
        return tokens;
    }

    private static int pieceId(SentencePieceModel model, String piece) {
        for (int id = 0; id < model.size(); id++) {
            if (model.pieces()[id].equals(piece)) {
                return id;
            }
        }
        throw new FormatException(model.source() + ": has no piece \"" + piece
                + "\", which tokenizer_config.json names as a special token");
    }

    /**
     * The tokens to cut out: each as written (matched in the raw text) and, when lowercasing, also as matched in the
     * lowercased text if lowercasing leaves it unchanged: transformers lowercases first and then matches the tokens
     * as written, so "&lt;UNK&gt;" is the unknown token too.
     */
    private static List<AddedToken> matchedTokens(List<AddedToken> special, boolean lowercase) {
        List<AddedToken> matched = new ArrayList<>(special);
        if (lowercase) {
            for (AddedToken token : special) {
                if (pythonLower(token.content()).equals(token.content())) {
                    matched.add(new AddedToken(token.id(), token.content(), true, token.lstrip(), token.rstrip(),
                            token.special()));
                }
            }
        }
        return matched;
    }

    @Override
    public int[] encode(String text, int maxLength) {
        String prefixed = SPIECE_UNDERLINE + text.replace(SPIECE_UNDERLINE, " ");
        IntList ids = new IntList();
        int[] chunks = {0};
        boolean[] loneUnderlineFirst = {false};
        splitter.split(prefixed, id -> {
            if (loneUnderlineFirst[0] && ids.size() == 1 && specialById[id]) {
                ids.truncate(0);
            }
            ids.add(id);
            chunks[0]++;
        }, chunk -> {
            int[] pieces = encodeChunk(chunk);
            loneUnderlineFirst[0] = chunks[0] == 0 && pieces.length == 1 && pieces[0] == underlineId;
            ids.addAll(pieces);
            chunks[0]++;
        });
        int[] content = ids.toArray();
        int length = Math.min(content.length, maxLength - 1);
        boolean endsWithEos = length > 0 && content[length - 1] == eosId;
        int[] result = new int[length + (endsWithEos ? 0 : 1)];
        System.arraycopy(content, 0, result, 0, length);
        if (!endsWithEos) {
            result[length] = eosId;
        }
        return result;
    }

    /** SentencePiece pieces of one chunk between special tokens, after canonicalization. */
    private int[] encodeChunk(String chunk) {
        int[] pieces = encoder.encode(unkToken + canonicalize(chunk));
        if (pieces.length < unkPrefixPieces) {
            return pieces;
        }
        int[] rest = new int[pieces.length - unkPrefixPieces];
        System.arraycopy(pieces, unkPrefixPieces, rest, 0, rest.length);
        return rest;
    }

    /** SiglipTokenizer.canonicalize_text: ASCII punctuation removed, whitespace runs to one space, stripped. */
    static String canonicalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80 && ASCII_PUNCTUATION.indexOf(cp) >= 0) {
                continue;
            }
            if (isPythonWhitespace(cp)) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && !out.isEmpty()) {
                out.append(' ');
            }
            pendingSpace = false;
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    /** Python's str.isspace, which its regex \s and str.strip use. */
    private static boolean isPythonWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Python's str.lower: full Unicode lowercasing, the final-sigma rule included, as Java's root locale does. */
    private static String pythonLower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * Pieces joined with "▁" as a space, byte pieces decoded as UTF-8 (malformed bytes become U+FFFD), special
     * tokens skipped, the result stripped: what SentencePiece's decode and transformers' convert_tokens_to_string
     * give for a sequence without special tokens in its middle.
     */
    @Override
    public String decode(int[] ids) {
        SentencePieceModel model = encoder.model();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= model.size()) {
                throw new InputException("cannot decode token id " + id + ": not in the vocabulary of "
                        + model.size() + " pieces");
            }
            SentencePieceModel.PieceType type = model.types()[id];
            if (specialById[id] || type == SentencePieceModel.PieceType.CONTROL) {
                continue;
            }
            int b = type == SentencePieceModel.PieceType.BYTE ? ByteFallbackBpe.byteOf(model.pieces()[id]) : -1;
            if (b >= 0) {
                bytes.write(b);
            } else {
                bytes.writeBytes(model.pieces()[id].replace(SPIECE_UNDERLINE, " ").getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    @Override
    public int vocabSize() {
        return encoder.model().size();
    }

    @Override
    public int idOf(String token) {
        Integer added = addedIds.get(token);
        return added != null ? added : encoder.model().textPieceIds().getOrDefault(token, -1);
    }
}
