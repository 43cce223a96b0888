package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.models.tokenizer.json.IntList;

import java.nio.charset.StandardCharsets;

/**
 * A SentencePiece model as {@code SentencePieceProcessor::Encode} runs it: normalize, segment (unigram or BPE), then
 * fix up the unknown pieces: with byte_fallback each becomes the byte pieces of its UTF-8, otherwise a run of
 * adjacent unknown pieces becomes one. Immutable and thread-safe.
 */
final class SentencePieceEncoder {
    private final SentencePieceModel model;
    private final SentencePieceNormalizer normalizer;
    private final PieceSegmenter segmenter;
    private final int[] bytePieceIds;

    /**
     * @param model          the model
     * @param addDummyPrefix whether to keep the spec's add_dummy_prefix (SiglipTokenizer turns it off)
     */
    SentencePieceEncoder(SentencePieceModel model, boolean addDummyPrefix) {
        this.model = model;
        SentencePieceModel.NormalizerSpec spec = addDummyPrefix ? model.normalizer()
                : model.normalizer().withoutDummyPrefix();
        this.normalizer = new SentencePieceNormalizer(spec, model.userDefinedPieces(), model.source());
        this.segmenter = switch (model.algorithm()) {
            case UNIGRAM -> new UnigramSegmenter(model);
            case BPE -> new BpeSegmenter(model);
        };
        this.bytePieceIds = model.byteFallback() ? model.bytePieceIds() : null;
    }

    /** Piece ids of {@code text}, which must have no lone surrogates. */
    int[] encode(String text) {
        String normalized = normalizer.normalize(text);
        IntList ids = new IntList();
        boolean[] previousWasUnknown = {false};
        segmenter.segment(normalized, (id, start, end) -> {
            boolean unknown = id == model.unkId();
            if (unknown && bytePieceIds != null) {
                for (byte b : normalized.substring(start, end).getBytes(StandardCharsets.UTF_8)) {
                    ids.add(bytePieceIds[b & 0xFF]);
                }
            } else if (!(unknown && previousWasUnknown[0])) {
                ids.add(id);
            }
            previousWasUnknown[0] = unknown;
        });
        return ids.toArray();
    }

    /** The model's pieces, by id. */
    SentencePieceModel model() {
        return model;
    }
}
