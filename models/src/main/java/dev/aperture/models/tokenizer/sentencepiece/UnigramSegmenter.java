package dev.aperture.models.tokenizer.sentencepiece;

import java.util.Arrays;

/**
 * SentencePiece's unigram model ({@code unigram_model.cc}, {@code EncodeOptimized}): the Viterbi path over the
 * lattice of every piece matching at every character, maximizing the sum of piece scores. Characters no
 * single-character piece covers get a node of the unknown piece, scored min_score - 10 (kUnkPenalty); user-defined
 * pieces score length * max_score - 0.1, so they always win; UNUSED pieces never match. Ties keep the first path
 * found, scanning starts left to right and pieces short to long, as sentencepiece does.
 */
final class UnigramSegmenter implements PieceSegmenter {
    private static final float UNKNOWN_PENALTY = 10.0f;

    private final PieceTrie trie = new PieceTrie();
    private final float[] scores;
    private final boolean[] userDefined;
    private final int unkId;
    private final float unknownScore;
    private final float maxScore;

    UnigramSegmenter(SentencePieceModel model) {
        this.scores = model.scores();
        this.unkId = model.unkId();
        this.userDefined = new boolean[model.size()];
        float min = Float.MAX_VALUE;
        float max = Float.MIN_VALUE;  // sentencepiece's FLT_MIN, the smallest positive float, not the most negative
        for (int id = 0; id < model.size(); id++) {
            SentencePieceModel.PieceType type = model.types()[id];
            if (type == SentencePieceModel.PieceType.NORMAL) {
                min = Math.min(min, scores[id]);
                max = Math.max(max, scores[id]);
            }
            if (type == SentencePieceModel.PieceType.NORMAL || type == SentencePieceModel.PieceType.USER_DEFINED) {
                trie.add(model.pieces()[id], id);
            }
            userDefined[id] = type == SentencePieceModel.PieceType.USER_DEFINED;
        }
        this.unknownScore = min - UNKNOWN_PENALTY;
        this.maxScore = max;
    }

    @Override
    public void segment(String text, PieceConsumer out) {
        int n = text.length();
        if (n == 0) {
            return;
        }
        // Best path ending at each char position: its score, where its last piece starts, and that piece's id.
        float[] bestScore = new float[n + 1];
        int[] bestStart = new int[n + 1];
        int[] bestId = new int[n + 1];
        Arrays.fill(bestStart, -1);
        int start = 0;
        while (start < n) {
            float scoreHere = bestScore[start];
            int charLength = Character.charCount(text.codePointAt(start));
            boolean singleCharPiece = false;
            int node = PieceTrie.root();
            for (int end = start; end < n; end++) {
                node = trie.child(node, text.charAt(end));
                if (node < 0) {
                    break;
                }
                int id = trie.pieceAt(node);
                if (id < 0) {
                    continue;
                }
                int length = end + 1 - start;
                // In double, as in sentencepiece, where the user-defined bonus makes the score expression a double.
                double score = userDefined[id] ? utf8Length(text, start, end + 1) * (double) maxScore - 0.1
                        : scores[id];
                double candidate = score + scoreHere;
                relax(end + 1, candidate, start, id, bestScore, bestStart, bestId);
                singleCharPiece |= length == charLength;
            }
            if (!singleCharPiece) {
                float candidate = unknownScore + scoreHere;  // float arithmetic here, as in sentencepiece
                relax(start + charLength, candidate, start, unkId, bestScore, bestStart, bestId);
            }
            start += charLength;
        }
        emitPath(n, bestStart, bestId, out);
    }

    private static void relax(int end, double candidate, int start, int id, float[] bestScore, int[] bestStart,
                              int[] bestId) {
        if (bestStart[end] == -1 || candidate > bestScore[end]) {
            bestScore[end] = (float) candidate;
            bestStart[end] = start;
            bestId[end] = id;
        }
    }

    /** Backtracks from the end and hands the pieces over in text order. */
    private static void emitPath(int n, int[] bestStart, int[] bestId, PieceConsumer out) {
        int count = 0;
        int[] ends = new int[n];
        for (int end = n; end > 0; end = bestStart[end]) {
            ends[count++] = end;
        }
        for (int i = count - 1; i >= 0; i--) {
            int end = ends[i];
            out.accept(bestId[end], bestStart[end], end);
        }
    }

    /** sentencepiece measures a user-defined piece's length in UTF-8 bytes. */
    private static int utf8Length(String text, int start, int end) {
        int bytes = 0;
        for (int i = start; i < end; ) {
            int cp = text.codePointAt(i);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return bytes;
    }
}
