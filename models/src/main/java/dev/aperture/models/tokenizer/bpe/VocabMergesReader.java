package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.json.AddedToken;
import dev.aperture.models.tokenizer.json.BoundedPattern;
import dev.aperture.models.tokenizer.json.JsonFiles;
import dev.aperture.models.tokenizer.json.PostProcessor;
import dev.aperture.models.tokenizer.json.PreTokenizer;
import dev.aperture.models.tokenizer.json.SplitRule;
import dev.aperture.models.tokenizer.json.TextNormalizer;
import dev.aperture.models.tokenizer.json.TokenizerPipeline;
import dev.aperture.models.tokenizer.json.TokenizerSettings;
import dev.aperture.models.tokenizer.merge.MergeRules;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the pipeline from the "slow" files vocab.json + merges.txt, the way transformers converts a slow
 * CLIPTokenizer into a fast one (CLIPConverter in transformers 4.39): NFC, whitespace runs to one space,
 * lowercase; CLIP's split regex (matches kept, the rest removed); ByteLevel without prefix space; BPE with suffix
 * "&lt;/w&gt;" and the unknown token; BOS + text + EOS. Added tokens come from tokenizer_config.json's
 * added_tokens_decoder (with their normalized flags), else from the special-token names (transformers then adds
 * them un-normalized).
 */
final class VocabMergesReader {
    /** The split regex of transformers' CLIPConverter (4.39), the same as clip-tiny's tokenizer.json. */
    static final String CLIP_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
    private static final String END_OF_WORD = "</w>";

    private VocabMergesReader() {
    }

    static TokenizerPipeline<BpeModel> read(Path vocabFile, Path mergesFile, TokenizerSettings settings) {
        Map<String, Integer> vocab = readVocab(vocabFile);
        PairMergeTable merges = MergeRules.toTable(readMerges(mergesFile), vocab, "", mergesFile.toString());
        String unk = settings.unkToken() != null ? settings.unkToken() : "<|endoftext|>";
        Integer unkId = vocab.get(unk);
        BpeModel bpe = new BpeModel(vocab, merges, unkId == null ? -1 : unkId, false, false, "", END_OF_WORD);
        TextNormalizer normalizer = new TextNormalizer(List.of(
                new TextNormalizer.UnicodeForm(Normalizer.Form.NFC),
                new TextNormalizer.Replace(BoundedPattern.regex("\\s+", vocabFile + ": normalizer"), " "),
                new TextNormalizer.Lowercase()));
        PreTokenizer preTokenizer = new PreTokenizer(
                List.of(new SplitRule(BoundedPattern.regex(CLIP_SPLIT_REGEX, vocabFile + ": split regex"),
                        SplitRule.Behavior.REMOVED, true)),
                PreTokenizer.ByteLevel.of(false, true, vocabFile + ": byte-level regex"));
        String bos = settings.bosToken() != null ? settings.bosToken() : "<|startoftext|>";
        String eos = settings.eosToken() != null ? settings.eosToken() : "<|endoftext|>";
        int bosId = requireId(vocab, bos, vocabFile, "BOS token");
        int eosId = requireId(vocab, eos, vocabFile, "EOS token");
        List<AddedToken> added = settings.addedTokens().isEmpty()
                ? specialTokens(vocab, settings, bos, eos, unk) : settings.addedTokens();
        return new TokenizerPipeline<>(added, normalizer, preTokenizer, bpe,
                new PostProcessor(new int[] {bosId}, new int[] {eosId}), -1, -1);
    }

    private static List<AddedToken> specialTokens(Map<String, Integer> vocab, TokenizerSettings settings,
                                                  String bos, String eos, String unk) {
        Set<String> names = new LinkedHashSet<>(List.of(bos, eos, unk));
        if (settings.padToken() != null) {
            names.add(settings.padToken());
        }
        List<AddedToken> tokens = new ArrayList<>();
        for (String name : names) {
            Integer id = vocab.get(name);
            if (id != null) {
                tokens.add(new AddedToken(id, name, false, false, false, true));
            }
        }
        return tokens;
    }

    private static int requireId(Map<String, Integer> vocab, String token, Path vocabFile, String role) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new FormatException(vocabFile + ": " + role + " \"" + token + "\" is not in the vocabulary");
        }
        return id;
    }

    private static Map<String, Integer> readVocab(Path vocabFile) {
        JsonNode root = JsonFiles.readObject(vocabFile);
        Map<String, Integer> vocab = new HashMap<>(root.size() * 2);
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            int id = entry.getValue().asInt(-1);
            if (!entry.getValue().canConvertToInt() || id < 0 || id > TokenizerPipeline.MAX_TOKEN_ID) {
                throw new FormatException(vocabFile + ": token \"" + entry.getKey() + "\" has no valid id (0.."
                        + TokenizerPipeline.MAX_TOKEN_ID + ")");
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        if (vocab.isEmpty()) {
            throw new FormatException(vocabFile + ": empty vocabulary");
        }
        return vocab;
    }

    /** merges.txt: an optional "#version" header, then one "left right" rule per line, in rank order. */
    private static List<String[]> readMerges(Path mergesFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new FormatException(mergesFile + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new InputException("cannot read " + mergesFile + ": " + e.getMessage(), e);
        }
        List<String[]> rules = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if ((i == 0 && line.startsWith("#version")) || line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new FormatException(mergesFile + ": line " + (i + 1) + " is not \"left right\": \"" + line + "\"");
            }
            rules.add(parts);
        }
        return rules;
    }
}
