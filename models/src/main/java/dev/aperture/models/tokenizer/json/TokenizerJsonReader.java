package dev.aperture.models.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face tokenizer.json into a {@link TokenizerPipeline}, for every tokenizer family: the sections
 * all families share (added tokens, normalizer, pre-tokenizer, post-processor, decoder, truncation, padding) are read
 * here; the "model" section goes to the {@link TokenizerFamily} whose {@code model.type} the file names, and so do
 * the component types only that family runs. Anything else is a {@link FormatException} naming the file and
 * component, because silently ignoring a step would give wrong ids. Every regex in the file becomes a
 * {@link BoundedPattern}, which runs under its read budget.
 */
public final class TokenizerJsonReader {
    private final String file;

    private TokenizerJsonReader(String file) {
        this.file = file;
    }

    /** Reads tokenizer.json at {@code path} as a tokenizer of {@code family}. */
    public static <M> TokenizerPipeline<M> read(Path path, TokenizerFamily<M> family) {
        JsonNode root = JsonFiles.readObject(path);
        return new TokenizerJsonReader(path.toString()).pipeline(root, family);
    }

    /** Reads the text of a tokenizer.json as a tokenizer of {@code family}; {@code source} names it in messages. */
    public static <M> TokenizerPipeline<M> parse(String json, String source, TokenizerFamily<M> family) {
        JsonNode root = JsonFiles.parseObject(json, source);
        return new TokenizerJsonReader(source).pipeline(root, family);
    }

    private <M> TokenizerPipeline<M> pipeline(JsonNode root, TokenizerFamily<M> family) {
        JsonNode modelNode = root.path("model");
        if (!modelNode.isObject()) {
            throw error("model", "is missing");
        }
        String type = modelNode.has("type") ? type(modelNode, "model") : family.modelType();
        if (!type.equals(family.modelType())) {
            throw error("model", "has unsupported type \"" + type + "\" (a " + family.name() + " tokenizer reads only "
                    + family.modelType() + ")");
        }
        M model = family.model(modelNode, this);
        TextNormalizer normalizer = new TextNormalizer(normalizerSteps(root.get("normalizer"), "normalizer", family));
        PreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"), family);
        List<AddedToken> added = addedTokens(root.path("added_tokens"));
        JsonNode post = root.get("post_processor");
        PostProcessor postProcessor = isAbsent(post) ? family.postProcessorWhenAbsent(model, this)
                : postProcessor(post, "post_processor");
        checkDecoder(root.get("decoder"), "decoder", family);
        return new TokenizerPipeline<>(added, normalizer, preTokenizer, model, postProcessor,
                maxLength(root.get("truncation"), postProcessor), padId(root.get("padding")));
    }

    /** A FormatException saying that {@code component} of this file has {@code problem}. */
    public FormatException error(String component, String problem) {
        return new FormatException(where(component) + " " + problem);
    }

    /** "tokenizer.json: pre_tokenizer.pretokenizers[0]": how messages name a component of this file. */
    public String where(String component) {
        return file + ": " + component;
    }

    /** Whether a field is missing or null, which tokenizer.json uses alike for "none". */
    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private String type(JsonNode node, String component) {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw error(component, "has no \"type\"");
        }
        return type.asText();
    }

    /** A {token: id} vocabulary, the form BPE and WordPiece share, with every id in 0..MAX_TOKEN_ID. */
    public Map<String, Integer> vocab(JsonNode node, String component) {
        if (!node.isObject() || node.isEmpty()) {
            throw error(component, "is missing or empty");
        }
        Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            int id = entry.getValue().asInt(-1);
            if (!entry.getValue().canConvertToInt() || id < 0 || id > TokenizerPipeline.MAX_TOKEN_ID) {
                throw error(component, "has no valid id (0.." + TokenizerPipeline.MAX_TOKEN_ID + ") for token \""
                        + entry.getKey() + "\"");
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        return vocab;
    }

    /** A BPE model section's unk_token as an id of {@code vocab}, or -1 when it names none. */
    public int unknownTokenId(JsonNode model, Map<String, Integer> vocab) {
        if (!model.path("unk_token").isTextual()) {
            return -1;
        }
        Integer id = vocab.get(model.path("unk_token").asText());
        if (id == null) {
            throw error("model.unk_token", "\"" + model.path("unk_token").asText() + "\" is not in the vocabulary");
        }
        return id;
    }

    /** Refuses a BPE model section with dropout, which is random. */
    public void requireNoDropout(JsonNode model) {
        if (!isAbsent(model.get("dropout")) && model.get("dropout").asDouble() != 0.0) {
            throw error("model.dropout", "is set; BPE dropout is random and not supported");
        }
    }

    /** The text of {@code node.field}; a FormatException when it is missing or not text. */
    public String text(JsonNode node, String field, String component) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw error(component, "has no text field \"" + field + "\"");
        }
        return value.asText();
    }

    private List<TextNormalizer.Step> normalizerSteps(JsonNode node, String component, TokenizerFamily<?> family) {
        List<TextNormalizer.Step> steps = new ArrayList<>();
        if (isAbsent(node)) {
            return steps;
        }
        String type = type(node, component);
        switch (type) {
            case "Sequence" -> {
                int index = 0;
                for (JsonNode child : node.path("normalizers")) {
                    steps.addAll(normalizerSteps(child, component + ".normalizers[" + index++ + "]", family));
                }
            }
            case "NFC" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFC));
            case "NFD" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFD));
            case "NFKC" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFKC));
            case "NFKD" -> steps.add(new TextNormalizer.UnicodeForm(Normalizer.Form.NFKD));
            case "Lowercase" -> steps.add(new TextNormalizer.Lowercase());
            case "Replace" -> steps.add(new TextNormalizer.Replace(pattern(node.path("pattern"), component),
                    text(node, "content", component)));
            default -> {
                TextNormalizer.Step own = family.normalizer(type, node, component, this);
                if (own == null) {
                    throw error(component, "has unsupported type \"" + type + "\" for a " + family.name()
                            + " tokenizer");
                }
                steps.add(own);
            }
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

    private PreTokenizer preTokenizer(JsonNode node, TokenizerFamily<?> family) {
        List<JsonNode> steps = new ArrayList<>();
        boolean sequence = !isAbsent(node) && "Sequence".equals(type(node, "pre_tokenizer"));
        if (sequence) {
            node.path("pretokenizers").forEach(steps::add);
        } else if (!isAbsent(node)) {
            steps.add(node);
        }
        String supported = family.encodesBytes() ? "supported: Split steps, then one ByteLevel last"
                : "supported by a " + family.name() + " tokenizer: Split and its own steps, no ByteLevel";
        List<PreTokenizer.Step> pieceSteps = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String component = sequence ? "pre_tokenizer.pretokenizers[" + i + "]" : "pre_tokenizer";
            JsonNode step = steps.get(i);
            String type = type(step, component);
            boolean last = i == steps.size() - 1;
            PreTokenizer.Step own = family.preTokenizer(type, step, component, this);
            if (own != null) {
                pieceSteps.add(own);
            } else if (type.equals("Split") && (!last || !family.encodesBytes())) {
                pieceSteps.add(splitRule(step, component));
            } else if (type.equals("ByteLevel") && last && family.encodesBytes()) {
                return new PreTokenizer(pieceSteps, PreTokenizer.ByteLevel.of(
                        step.path("add_prefix_space").asBoolean(true), step.path("use_regex").asBoolean(true),
                        where(component)));
            } else {
                throw error(component, "has unsupported type \"" + type + "\" here (" + supported + ")");
            }
        }
        if (family.encodesBytes()) {
            throw error("pre_tokenizer", "has no ByteLevel step; a " + family.name()
                    + " tokenizer needs one last");
        }
        return new PreTokenizer(pieceSteps, null);
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

    /** The ids the post-processor adds around a single sequence. */
    private PostProcessor postProcessor(JsonNode node, String component) {
        if (isAbsent(node)) {
            return PostProcessor.NONE;
        }
        String type = type(node, component);
        return switch (type) {
            case "RobertaProcessing", "BertProcessing" -> new PostProcessor(
                    new int[] {specialPairId(node.path("cls"), component + ".cls")},
                    new int[] {specialPairId(node.path("sep"), component + ".sep")});
            case "TemplateProcessing" -> template(node, component);
            case "ByteLevel" -> PostProcessor.NONE;
            case "Sequence" -> {
                PostProcessor last = PostProcessor.NONE;
                int index = 0;
                for (JsonNode child : node.path("processors")) {
                    PostProcessor part = postProcessor(child, component + ".processors[" + index++ + "]");
                    if (part.addedIdCount() > 0) {
                        last = part;
                    }
                }
                yield last;
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

    private PostProcessor template(JsonNode node, String component) {
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
        return new PostProcessor(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    private void checkDecoder(JsonNode node, String component, TokenizerFamily<?> family) {
        if (isAbsent(node) || family.decoders().isEmpty()) {
            return;
        }
        String type = type(node, component);
        if (type.equals("Sequence")) {
            int index = 0;
            for (JsonNode child : node.path("decoders")) {
                checkDecoder(child, component + ".decoders[" + index++ + "]", family);
            }
        } else if (!family.decoders().contains(type)) {
            throw error(component, "has unsupported type \"" + type + "\" for a " + family.name() + " tokenizer");
        }
    }

    /** truncation.max_length, which counts the post-processor's ids too; -1 when the file truncates nothing. */
    private int maxLength(JsonNode truncation, PostProcessor postProcessor) {
        if (isAbsent(truncation) || isAbsent(truncation.get("max_length"))) {
            return -1;
        }
        JsonNode maxLength = truncation.get("max_length");
        if (!maxLength.canConvertToInt() || maxLength.asInt() < postProcessor.addedIdCount()) {
            throw error("truncation.max_length", "is " + maxLength + "; at least " + postProcessor.addedIdCount()
                    + " are needed for the post-processor's special tokens");
        }
        return maxLength.asInt();
    }

    /** padding.pad_id, or -1 when the file names no valid one. */
    private static int padId(JsonNode padding) {
        JsonNode padId = isAbsent(padding) ? null : padding.get("pad_id");
        boolean valid = padId != null && padId.canConvertToInt() && padId.asInt() >= 0
                && padId.asInt() <= TokenizerPipeline.MAX_TOKEN_ID;
        return valid ? padId.asInt() : -1;
    }
}
