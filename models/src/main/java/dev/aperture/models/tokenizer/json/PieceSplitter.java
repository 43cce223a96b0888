package dev.aperture.models.tokenizer.json;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The stages every tokenizer runs before its model, as the Rust {@code tokenizers} library does: lone UTF-16
 * surrogates become U+FFFD (the library only ever sees valid UTF-8); added tokens marked un-normalized are cut out
 * of the raw text; each remaining segment is normalized and then cut at added tokens marked normalized (matched by
 * their normalized form); each plain segment goes through the pre-tokenizer's steps. Immutable and thread-safe.
 */
public final class PieceSplitter {
    private final AddedTokenMatcher rawTokens;
    private final AddedTokenMatcher normalizedTokens;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;

    public PieceSplitter(List<AddedToken> addedTokens, TextNormalizer normalizer, PreTokenizer preTokenizer) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.rawTokens = new AddedTokenMatcher(addedTokens.stream().filter(t -> !t.normalized()).toList(),
                AddedToken::content);
        this.normalizedTokens = new AddedTokenMatcher(addedTokens.stream().filter(AddedToken::normalized).toList(),
                t -> normalizer.apply(t.content()));
    }

    /** The splitter of a pipeline's added tokens, normalizer and pre-tokenizer. */
    public static PieceSplitter of(TokenizerPipeline<?> pipeline) {
        return new PieceSplitter(pipeline.addedTokens(), pipeline.normalizer(), pipeline.preTokenizer());
    }

    /**
     * Cuts {@code text} into added tokens, whose ids go to {@code addedTokenIds}, and the pieces the model
     * encodes, which go to {@code pieces}; both in text order.
     */
    public void split(String text, IntConsumer addedTokenIds, Consumer<String> pieces) {
        for (AddedTokenMatcher.Segment raw : rawTokens.split(Utf16.replaceLoneSurrogates(text))) {
            if (raw.isToken()) {
                addedTokenIds.accept(raw.tokenId());
                continue;
            }
            String normalized = normalizer.apply(raw.text());
            for (AddedTokenMatcher.Segment segment : normalizedTokens.split(normalized)) {
                if (segment.isToken()) {
                    addedTokenIds.accept(segment.tokenId());
                } else {
                    preTokenizer.forEachPiece(segment.text(), pieces);
                }
            }
        }
    }
}
