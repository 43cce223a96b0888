package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.json.AddedToken;
import dev.aperture.models.tokenizer.json.IntList;
import dev.aperture.models.tokenizer.json.PieceSplitter;
import dev.aperture.models.tokenizer.json.PostProcessor;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;
import dev.aperture.models.tokenizer.json.TokenizerPipeline;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Gemma-style tokenizer.json (SigLIP 2's Siglip2Tokenizer), as the Rust {@code tokenizers} library runs it: the
 * shared stages ({@link PieceSplitter}: added tokens, Lowercase, Replace(" " -> "▁"), Split), the byte-fallback BPE
 * per piece, then the post-processor's ids around the text (SigLIP 2's template adds none). Truncation keeps the
 * first ids, leaving room for the post-processor's.
 */
final class GemmaJsonEncoding implements SiglipEncoding {
    private final PieceSplitter splitter;
    private final ByteFallbackBpe bpe;
    private final PostProcessor postProcessor;
    private final Map<String, Integer> ids;
    private final String[] tokenById;
    private final boolean[] specialById;

    private GemmaJsonEncoding(TokenizerPipeline<ByteFallbackBpe> pipeline) {
        this.splitter = PieceSplitter.of(pipeline);
        this.bpe = pipeline.model();
        this.postProcessor = pipeline.postProcessor();
        this.ids = new HashMap<>(bpe.vocab());
        pipeline.addedTokens().forEach(t -> ids.put(t.content(), t.id()));
        int maxId = ids.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.tokenById = new String[maxId + 1];
        ids.forEach((text, id) -> tokenById[id] = text);
        this.specialById = new boolean[maxId + 1];
        pipeline.addedTokens().stream().filter(AddedToken::special).forEach(t -> specialById[t.id()] = true);
    }

    /** The encoding of {@code tokenizerJson}. */
    static GemmaJsonEncoding load(Path tokenizerJson) {
        return new GemmaJsonEncoding(TokenizerJsonReader.read(tokenizerJson, GemmaBpeFamily.INSTANCE));
    }

    @Override
    public int[] encode(String text, int maxLength) {
        IntList content = new IntList();
        splitter.split(text, content::add, piece -> content.addAll(bpe.encode(piece)));
        int room = Math.max(0, maxLength - postProcessor.addedIdCount());
        return postProcessor.wrap(content.toArray(), Math.min(content.size(), room));
    }

    /**
     * The decoder Replace("▁" -> " "), ByteFallback, Fuse: tokens joined, "▁" as a space, byte tokens decoded as
     * UTF-8 (malformed bytes become U+FFFD), special tokens skipped; nothing is stripped.
     */
    @Override
    public String decode(int[] tokenIds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : tokenIds) {
            if (id < 0 || id >= tokenById.length || tokenById[id] == null) {
                throw new InputException("cannot decode token id " + id + ": not in the vocabulary");
            }
            if (specialById[id]) {
                continue;
            }
            int b = ByteFallbackBpe.byteOf(tokenById[id]);
            if (b >= 0) {
                bytes.write(b);
            } else {
                bytes.writeBytes(tokenById[id].replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return bpe.vocab().size();
    }

    @Override
    public int idOf(String token) {
        return ids.getOrDefault(token, -1);
    }
}
