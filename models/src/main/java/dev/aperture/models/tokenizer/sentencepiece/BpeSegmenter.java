package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.models.tokenizer.json.IntList;
import dev.aperture.models.tokenizer.merge.BpeMerge;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * SentencePiece's BPE model ({@code bpe_model.cc}): the text starts as one symbol per character (a user-defined piece
 * is one frozen symbol), and adjacent symbols merge while their concatenation is a piece, the highest-scoring
 * concatenation first and, among equal scores, the leftmost. That is the shared {@link BpeMerge} loop over a
 * {@link PairMergeTable} holding, for every piece, each split of it into two pieces, ranked by the piece's score.
 *
 * <p>A character that is no piece can never merge (every merged piece of a trained model is made of pieces), so the
 * text is merged run by run between such characters, which stay single unknown pieces. UNUSED pieces are not merge
 * targets here; sentencepiece merges into them and then splits them back, which only a model with UNUSED pieces
 * formed by merges would notice.
 */
final class BpeSegmenter implements PieceSegmenter {
    private final Map<String, Integer> pieceIds;
    private final String[] pieces;
    private final PairMergeTable merges;
    private final int unkId;
    private final String[] userDefined;

    BpeSegmenter(SentencePieceModel model) {
        this.pieceIds = model.textPieceIds();
        this.pieces = model.pieces();
        this.unkId = model.unkId();
        List<String> frozen = model.userDefinedPieces();
        frozen.sort((a, b) -> b.length() - a.length());
        this.userDefined = frozen.toArray(String[]::new);
        this.merges = mergeTable(model, pieceIds);
    }

    /** Every split of every mergeable piece into two pieces, ranked by the piece's score (highest first). */
    private static PairMergeTable mergeTable(SentencePieceModel model, Map<String, Integer> pieceIds) {
        TreeSet<Float> distinctScores = new TreeSet<>();
        for (int id = 0; id < model.size(); id++) {
            if (isMergeTarget(model.types()[id])) {
                distinctScores.add(model.scores()[id]);
            }
        }
        float[] descending = new float[distinctScores.size()];
        int index = 0;
        for (float score : distinctScores.descendingSet()) {
            descending[index++] = score;
        }
        IntList lefts = new IntList();
        IntList rights = new IntList();
        IntList merged = new IntList();
        IntList ranks = new IntList();
        for (int id = 0; id < model.size(); id++) {
            if (!isMergeTarget(model.types()[id])) {
                continue;
            }
            String piece = model.pieces()[id];
            int rank = rankOf(descending, model.scores()[id]);
            for (int split = piece.offsetByCodePoints(0, 1); split < piece.length();
                 split = piece.offsetByCodePoints(split, 1)) {
                Integer left = pieceIds.get(piece.substring(0, split));
                Integer right = pieceIds.get(piece.substring(split));
                if (left != null && right != null) {
                    lefts.add(left);
                    rights.add(right);
                    merged.add(id);
                    ranks.add(rank);
                }
            }
        }
        return new PairMergeTable(lefts.toArray(), rights.toArray(), merged.toArray(), ranks.toArray());
    }

    private static boolean isMergeTarget(SentencePieceModel.PieceType type) {
        return type == SentencePieceModel.PieceType.NORMAL || type == SentencePieceModel.PieceType.USER_DEFINED;
    }

    /** Position of {@code score} in the descending distinct scores: equal scores share a rank. */
    private static int rankOf(float[] descending, float score) {
        int low = 0;
        int high = descending.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (descending[mid] > score) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    @Override
    public void segment(String text, PieceConsumer out) {
        int[] run = new int[text.length()];
        int runLength = 0;
        int runStart = 0;
        int i = 0;
        while (i < text.length()) {
            String frozen = userDefinedAt(text, i);
            int length = frozen != null ? frozen.length() : Character.charCount(text.codePointAt(i));
            Integer id = frozen != null ? null : pieceIds.get(text.substring(i, i + length));
            if (id != null) {
                run[runLength++] = id;
            } else {
                emitMerged(run, runLength, runStart, out);
                out.accept(frozen != null ? pieceIds.get(frozen) : unkId, i, i + length);
                runLength = 0;
                runStart = i + length;
            }
            i += length;
        }
        emitMerged(run, runLength, runStart, out);
    }

    private void emitMerged(int[] run, int length, int start, PieceConsumer out) {
        int position = start;
        for (int id : BpeMerge.mergeAll(Arrays.copyOf(run, length), length, merges)) {
            out.accept(id, position, position + pieces[id].length());
            position += pieces[id].length();
        }
    }

    private String userDefinedAt(String text, int position) {
        for (String piece : userDefined) {
            if (text.startsWith(piece, position)) {
                return piece;
            }
        }
        return null;
    }
}
