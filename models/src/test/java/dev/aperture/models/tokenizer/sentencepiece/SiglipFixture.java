package dev.aperture.models.tokenizer.sentencepiece;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The SigLIP fixtures' texts and the padded ids transformers 5.18 gave them (expected.json). */
record SiglipFixture(Path dir, int maxLength, List<Text> texts) {

    /** One text and its padded ids. */
    record Text(String text, int[] ids) {
    }

    /** SentencePiece unigram spiece.model (SiglipTokenizer). */
    static SiglipFixture unigram() {
        return read("siglip-tiny");
    }

    /** SentencePiece BPE spiece.model with byte fallback (SiglipTokenizer). */
    static SiglipFixture sentencePieceBpe() {
        return read("siglip-tiny-spm-bpe");
    }

    /** Gemma-style tokenizer.json (Siglip2Tokenizer). */
    static SiglipFixture gemma() {
        return read("siglip2-tiny");
    }

    static SiglipFixture read(String name) {
        Path dir = TestData.dir().resolve(name);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Text> texts = new ArrayList<>();
        for (JsonNode text : root.path("texts")) {
            int[] ids = new int[text.path("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = text.path("ids").get(i).asInt();
            }
            texts.add(new Text(text.path("text").asText(), ids));
        }
        return new SiglipFixture(dir, root.path("max_length").asInt(), texts);
    }

    List<String> strings() {
        return texts.stream().map(Text::text).toList();
    }
}
