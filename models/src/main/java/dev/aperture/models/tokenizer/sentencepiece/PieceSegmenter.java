package dev.aperture.models.tokenizer.sentencepiece;

/**
 * A SentencePiece segmentation algorithm (unigram or BPE), run on normalized text: it cuts the text into pieces and
 * names each by id, the unknown id where no piece covers the text.
 */
interface PieceSegmenter {

    /** Receives the pieces of a text, in order. */
    interface PieceConsumer {
        /** A piece with id {@code id} spanning chars {@code [start, end)} of the normalized text. */
        void accept(int id, int start, int end);
    }

    /** Hands the pieces of {@code normalized} to {@code out}. */
    void segment(String normalized, PieceConsumer out);
}
