package dev.aperture.models.tokenizer.wordpiece;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.json.PieceSplitter;
import dev.aperture.models.tokenizer.json.PostProcessor;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.json.TokenizerJsonReader;
import dev.aperture.models.tokenizer.json.TokenizerPipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * BERT's WordPiece tokenizer, loaded from a Hugging Face {@code tokenizer.json}, reproducing the Rust
 * {@code tokenizers} pipeline exactly:
 * <ol>
 *   <li>added tokens ({@code [CLS]}, {@code [SEP]}, {@code [MASK]}, ...) written literally in the text are matched
 *       first, leftmost-longest, and become their ids (case-sensitively, unless the file marks them normalized);</li>
 *   <li>the text between them goes through the normalizer ({@link BertNormalizer}) and the pre-tokenizer
 *       ({@link BertPreTokenizer}), as every tokenizer's does ({@link PieceSplitter});</li>
 *   <li>each word goes through the WordPiece model ({@link WordPieceModel});</li>
 *   <li>the pieces are truncated to make room for the post-processor's ids and wrapped by it:
 *       {@code [CLS] ... [SEP]}.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    /** Used when tokenizer.json has no truncation section: BERT's position-embedding count. */
    public static final int DEFAULT_MAX_LENGTH = 512;

    private final PieceSplitter splitter;
    private final WordPieceModel model;
    private final PostProcessor postProcessor;
    private final int padId;
    private final int maxLength;

    private WordPieceTokenizer(PieceSplitter splitter, WordPieceModel model, PostProcessor postProcessor, int padId,
                               int maxLength) {
        this.splitter = splitter;
        this.model = model;
        this.postProcessor = postProcessor;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    private static WordPieceTokenizer of(TokenizerPipeline<WordPieceModel> pipeline) {
        WordPieceModel model = pipeline.model();
        int padId = pipeline.padId() >= 0 ? pipeline.padId() : model.vocab().getOrDefault("[PAD]", 0);
        return new WordPieceTokenizer(PieceSplitter.of(pipeline), model, pipeline.postProcessor(), padId,
                pipeline.maxLength() >= 0 ? pipeline.maxLength() : DEFAULT_MAX_LENGTH);
    }

    /**
     * Reads a {@code tokenizer.json} with a WordPiece model.
     *
     * @throws InputException  when the file cannot be read
     * @throws FormatException when it is not JSON, not a WordPiece tokenizer, or misses a required token
     */
    public static WordPieceTokenizer load(Path tokenizerJson) {
        return of(TokenizerJsonReader.read(tokenizerJson, WordPieceFamily.INSTANCE));
    }

    /** Parses the text of a {@code tokenizer.json}; {@code sourceName} names it in error messages. */
    public static WordPieceTokenizer parse(String json, String sourceName) {
        return of(TokenizerJsonReader.parse(json, sourceName, WordPieceFamily.INSTANCE));
    }

    /** Most tokens per text, [CLS] and [SEP] included; longer texts are truncated. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The same tokenizer truncating at {@code newMaxLength} tokens instead, e.g. sentence-transformers'
     * {@code max_seq_length}.
     */
    public WordPieceTokenizer withMaxLength(int newMaxLength) {
        if (newMaxLength < postProcessor.addedIdCount()) {
            throw new InputException("Max length " + newMaxLength + " leaves no room for the "
                    + postProcessor.addedIdCount() + " special tokens around each text ([CLS] and [SEP])");
        }
        return new WordPieceTokenizer(splitter, model, postProcessor, padId, newMaxLength);
    }

    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return model.vocab().size();
    }

    /** The ids of {@code text}: {@code [CLS]}, the word pieces {@link #maxLength()} leaves room for, {@code [SEP]}. */
    public int[] encode(String text) {
        IntStream.Builder ids = IntStream.builder();
        splitter.split(text, ids::add, word -> model.encodeWord(word, ids));
        int[] pieces = ids.build().toArray();
        return postProcessor.wrap(pieces, Math.min(pieces.length, maxLength - postProcessor.addedIdCount()));
    }

    /** Encodes every text and right-pads them with the pad id to the longest. */
    public TokenBatch encodeBatch(List<String> texts) {
        List<int[]> encoded = new ArrayList<>(texts.size());
        for (String text : texts) {
            encoded.add(encode(text));
        }
        return TokenBatch.padded(encoded, padId);
    }
}
