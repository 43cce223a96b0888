package dev.aperture.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face tokenizer.json into a {@link TokenizerPipeline}. Supported are the components byte-level
 * BPE tokenizers such as CLIP's use; anything else is a {@link FormatException} naming the file and component,
 * because silently ignoring a step would give wrong ids.
 */
final class TokenizerJsonReader {
    private final String file;

    private TokenizerJsonReader(Path path) {
        this.file = path.toString();
    }

    static TokenizerPipeline read(Path path) {
        JsonNode root = JsonFiles.readObject(path);
        return new TokenizerJsonReader(path).pipeline(root);
    }

    private TokenizerPipeline pipeline(JsonNode root) {
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw error("model", "is missing");
        }
        Map<String, Integer> vocab = vocab(model.path("vocab"));
        TextNormalizer normalizer = new TextNormalizer(normalizerSteps(root.get("normalizer"), "normalizer"));
        PreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"));
        BpeModel bpe = bpe(model, vocab);
        List<AddedToken> added = addedTokens(root.path("added_tokens"));
        List<int[]> template = postProcessor(root.get("post_processor"), "post_processor");
        checkDecoder(root.get("decoder"), "decoder");
        int padHint = root.path("padding").isObject() ? root.path("padding").path("pad_id").asInt(-1) : -1;
        return new TokenizerPipeline(added, normalizer, preTokenizer, bpe, vocab, template.get(0), template.get(1),
                padHint);
    }

    private FormatException error(String component, String problem) {
        return new FormatException(where(component) + " " + problem);
    }

    /** "tokenizer.json: pre_tokenizer.pretokenizers[0]": how messages name a component of this file. */
    private String where(String component) {
        return file + ": " + component;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private String type(JsonNode node, String component) {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw error(component, "has no \"type\"");
        }
        return type.asText();
    }

    private Map<String, Integer> vocab(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            throw error("model.vocab", "is missing or empty");
        }
        Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            int id = entry.getValue().asInt(-1);
            if (!entry.getValue().canConvertToInt() || id < 0 || id > TokenizerPipeline.MAX_TOKEN_ID) {
                throw error("model.vocab", "has no valid id (0.." + TokenizerPipeline.MAX_TOKEN_ID + ") for token \""
                        + entry.getKey() + "\"");
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        return vocab;
    }

    private List<TextNormalizer.Step> normalizerSteps(JsonNode node, String component) {
        List<TextNormalizer.Step> steps = new ArrayList<>();
        if (isAbsent(node)) {
            return steps;
        }
        String type = type(node, component);
        switch (type) {
            case "Sequence" -> {
                int index = 0;
                for (JsonNode child : node.path("normalizers")) {
                    steps.addAll(normalizerSteps(child, component + ".normalizers[" + index++ + "]"));
                }
            }
            case "NFC" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFC));
            case "NFD" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFD));
            case "NFKC" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFKC));
            case "NFKD" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFKD));
            case "Lowercase" -> steps.add(new TextNormalizer.Lowercase());
            case "Replace" -> steps.add(new TextNormalizer.Replace(pattern(node.path("pattern"), component),
                    text(node, "content", component)));
            default -> throw error(component, "has unsupported type \"" + type + "\"");
        }
        return steps;
    }

    private BoundedPattern pattern(JsonNode node, String component) {
        if (node.path("Regex").isTextual()) {
            return BoundedPattern.regex(node.path("Regex").asText(), where(component));
        }
        if (node.path("String").isTextual()) {
            return BoundedPattern.literal(node.path("String").asText(), where(component));
        }
        throw error(component, "has a pattern that is neither {\"Regex\": ...} nor {\"String\": ...}");
    }

    private String text(JsonNode node, String field, String component) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw error(component, "has no text field \"" + field + "\"");
        }
        return value.asText();
    }

    private PreTokenizer preTokenizer(JsonNode node) {
        List<JsonNode> steps = new ArrayList<>();
        boolean sequence = !isAbsent(node) && "Sequence".equals(type(node, "pre_tokenizer"));
        if (sequence) {
            node.path("pretokenizers").forEach(steps::add);
        } else if (!isAbsent(node)) {
            steps.add(node);
        }
        List<SplitRule> splits = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String component = sequence ? "pre_tokenizer.pretokenizers[" + i + "]" : "pre_tokenizer";
            JsonNode step = steps.get(i);
            String type = type(step, component);
            boolean last = i == steps.size() - 1;
            if (type.equals("Split") && !last) {
                splits.add(splitRule(step, component));
            } else if (type.equals("ByteLevel") && last) {
                boolean useRegex = step.path("use_regex").asBoolean(true);
                return new PreTokenizer(splits, step.path("add_prefix_space").asBoolean(true),
                        useRegex ? BoundedPattern.regex(PreTokenizer.GPT2_REGEX, where(component)) : null);
            } else {
                throw error(component, "has unsupported type \"" + type + "\" here (supported: Split steps, then"
                        + " one ByteLevel last)");
            }
        }
        throw error("pre_tokenizer", "has no ByteLevel step; only byte-level BPE tokenizers are supported");
    }

    private SplitRule splitRule(JsonNode node, String component) {
        String behavior = text(node, "behavior", component);
        SplitRule.Behavior parsed = switch (behavior) {
            case "Removed" -> SplitRule.Behavior.REMOVED;
            case "Isolated" -> SplitRule.Behavior.ISOLATED;
            case "MergedWithPrevious" -> SplitRule.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> SplitRule.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> SplitRule.Behavior.CONTIGUOUS;
            default -> throw error(component, "has unsupported behavior \"" + behavior + "\"");
        };
        return new SplitRule(pattern(node.path("pattern"), component), parsed, node.path("invert").asBoolean(false));
    }

    private BpeModel bpe(JsonNode model, Map<String, Integer> vocab) {
        String type = model.has("type") ? type(model, "model") : "BPE";
        if (!type.equals("BPE")) {
            throw error("model", "has unsupported type \"" + type + "\" (only BPE)");
        }
        if (!isAbsent(model.get("dropout")) && model.get("dropout").asDouble() != 0.0) {
            throw error("model.dropout", "is set; BPE dropout is random and not supported");
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw error("model.byte_fallback", "is true; not supported");
        }
        String prefix = model.path("continuing_subword_prefix").isTextual()
                ? model.path("continuing_subword_prefix").asText() : "";
        String suffix = model.path("end_of_word_suffix").isTextual() ? model.path("end_of_word_suffix").asText() : "";
        int unkId = -1;
        if (model.path("unk_token").isTextual()) {
            Integer id = vocab.get(model.path("unk_token").asText());
            if (id == null) {
                throw error("model.unk_token", "\"" + model.path("unk_token").asText() + "\" is not in the vocabulary");
            }
            unkId = id;
        }
        PairMergeTable merges = mergeTable(model.path("merges"), vocab, prefix);
        return new BpeModel(vocab, merges, unkId, model.path("fuse_unk").asBoolean(false),
                model.path("ignore_merges").asBoolean(false), prefix, suffix);
    }

    private PairMergeTable mergeTable(JsonNode node, Map<String, Integer> vocab, String prefix) {
        if (!node.isArray()) {
            throw error("model.merges", "is missing or not a list");
        }
        List<String[]> rules = new ArrayList<>(node.size());
        for (JsonNode rule : node) {
            if (rule.isTextual()) {
                String[] parts = rule.asText().split(" ", -1);
                if (parts.length != 2) {
                    throw error("model.merges", "has a rule that is not two tokens separated by one space: \""
                            + rule.asText() + "\"");
                }
                rules.add(parts);
            } else if (rule.isArray() && rule.size() == 2 && rule.get(0).isTextual() && rule.get(1).isTextual()) {
                rules.add(new String[] {rule.get(0).asText(), rule.get(1).asText()});
            } else {
                throw error("model.merges", "has a rule that is neither \"a b\" nor [\"a\", \"b\"]: " + rule);
            }
        }
        return MergeRules.toTable(rules, vocab, prefix, file + ": model.merges");
    }

    private List<AddedToken> addedTokens(JsonNode node) {
        List<AddedToken> tokens = new ArrayList<>();
        int index = 0;
        for (JsonNode token : node) {
            String component = "added_tokens[" + index++ + "]";
            if (token.path("single_word").asBoolean(false)) {
                throw error(component, "has single_word = true; not supported");
            }
            int id = token.path("id").asInt(-1);
            if (!token.path("id").canConvertToInt() || id < 0 || id > TokenizerPipeline.MAX_TOKEN_ID) {
                throw error(component, "has no valid id (0.." + TokenizerPipeline.MAX_TOKEN_ID + ")");
            }
            tokens.add(new AddedToken(token.path("id").asInt(), text(token, "content", component),
                    token.path("normalized").asBoolean(true), token.path("lstrip").asBoolean(false),
                    token.path("rstrip").asBoolean(false), token.path("special").asBoolean(false)));
        }
        return tokens;
    }

    /** The ids the post-processor adds around a single sequence: [prefix, suffix]. */
    private List<int[]> postProcessor(JsonNode node, String component) {
        if (isAbsent(node)) {
            return List.of(new int[0], new int[0]);
        }
        String type = type(node, component);
        return switch (type) {
            case "RobertaProcessing", "BertProcessing" -> List.of(
                    new int[] {specialPairId(node.path("cls"), component + ".cls")},
                    new int[] {specialPairId(node.path("sep"), component + ".sep")});
            case "TemplateProcessing" -> template(node, component);
            case "ByteLevel" -> List.of(new int[0], new int[0]);
            case "Sequence" -> {
                int[] prefix = new int[0];
                int[] suffix = new int[0];
                int index = 0;
                for (JsonNode child : node.path("processors")) {
                    List<int[]> part = postProcessor(child, component + ".processors[" + index++ + "]");
                    if (part.get(0).length + part.get(1).length > 0) {
                        prefix = part.get(0);
                        suffix = part.get(1);
                    }
                }
                yield List.of(prefix, suffix);
            }
            default -> throw error(component, "has unsupported type \"" + type + "\"");
        };
    }

    private int specialPairId(JsonNode pair, String component) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt() || pair.get(1).asInt() < 0
                || pair.get(1).asInt() > TokenizerPipeline.MAX_TOKEN_ID) {
            throw error(component, "is not a [token, id] pair");
        }
        return pair.get(1).asInt();
    }

    private List<int[]> template(JsonNode node, String component) {
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        for (JsonNode item : node.path("single")) {
            if (item.has("Sequence")) {
                seenSequence = true;
            } else if (item.has("SpecialToken")) {
                String name = text(item.path("SpecialToken"), "id", component + ".single");
                JsonNode special = node.path("special_tokens").path(name);
                if (!special.path("ids").isArray()) {
                    throw error(component + ".special_tokens", "has no ids for \"" + name + "\"");
                }
                for (JsonNode id : special.path("ids")) {
                    if (!id.canConvertToInt() || id.asInt() < 0 || id.asInt() > TokenizerPipeline.MAX_TOKEN_ID) {
                        throw error(component + ".special_tokens", "has an invalid id for \"" + name + "\": " + id);
                    }
                    (seenSequence ? suffix : prefix).add(id.asInt());
                }
            } else {
                throw error(component + ".single", "has an item that is neither Sequence nor SpecialToken");
            }
        }
        if (!seenSequence) {
            throw error(component + ".single", "has no Sequence item");
        }
        return List.of(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    private void checkDecoder(JsonNode node, String component) {
        if (isAbsent(node)) {
            return;
        }
        String type = type(node, component);
        switch (type) {
            case "ByteLevel", "BPEDecoder" -> { }
            case "Sequence" -> {
                int index = 0;
                for (JsonNode child : node.path("decoders")) {
                    checkDecoder(child, component + ".decoders[" + index++ + "]");
                }
            }
            default -> throw error(component, "has unsupported type \"" + type + "\"");
        }
    }
}
