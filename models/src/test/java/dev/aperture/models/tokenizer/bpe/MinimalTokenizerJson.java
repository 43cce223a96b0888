package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A minimal byte-level BPE tokenizer.json for tests: vocabulary a, b, ab (with and without "</w>"), one merge. */
public final class MinimalTokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MinimalTokenizerJson() {
    }

    /** A fresh copy each call, so a test may change it. */
    public static ObjectNode create() {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("added_tokens").addObject().put("id", 6).put("content", "<|endoftext|>")
                .put("normalized", false).put("special", true);
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false);
        ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
        post.putArray("cls").add("<|endoftext|>").add(6);
        post.putArray("sep").add("<|endoftext|>").add(6);
        ObjectNode model = root.putObject("model").put("type", "BPE").put("end_of_word_suffix", "</w>");
        ObjectNode vocab = model.putObject("vocab");
        String[] tokens = {"a", "b", "a</w>", "b</w>", "ab</w>", "ab", "<|endoftext|>"};
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        model.putArray("merges").add("a b</w>");
        return root;
    }
}
