package dev.aperture.models.tokenizer.sentencepiece;

import java.util.Arrays;

/**
 * A trie over piece texts (UTF-16 chars), for finding every piece that starts at a position of the text: the
 * lookups of the unigram lattice. Nodes are numbers; the edge (node, char) -> child lives in one open-addressing
 * table of long keys, so a 250k-piece vocabulary costs a few arrays rather than a map per node.
 */
final class PieceTrie {
    private static final long EMPTY = -1L;

    private long[] keys = new long[1024];
    private int[] children = new int[1024];
    private int edges;
    /** Piece id ending at each node, -1 where none does. */
    private int[] pieceAt = {-1};
    private int nodes = 1;

    /** Adds {@code piece} (non-empty) with {@code id}; a text added twice keeps its first id. */
    void add(String piece, int id) {
        int node = 0;
        for (int i = 0; i < piece.length(); i++) {
            int child = child(node, piece.charAt(i));
            if (child < 0) {
                child = newNode();
                put(key(node, piece.charAt(i)), child);
            }
            node = child;
        }
        if (pieceAt[node] < 0) {
            pieceAt[node] = id;
        }
    }

    /** The root, where every walk starts. */
    static int root() {
        return 0;
    }

    /** The node reached from {@code node} by {@code c}, or -1. */
    int child(int node, char c) {
        long key = key(node, c);
        int i = slot(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return children[i];
            }
            i = (i + 1) & (keys.length - 1);
        }
        return -1;
    }

    /** The id of the piece ending at {@code node}, or -1. */
    int pieceAt(int node) {
        return pieceAt[node];
    }

    private int newNode() {
        if (nodes == pieceAt.length) {
            pieceAt = Arrays.copyOf(pieceAt, nodes * 2);
            Arrays.fill(pieceAt, nodes, pieceAt.length, -1);
        }
        return nodes++;
    }

    private void put(long key, int child) {
        if ((edges + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(key);
        while (keys[i] != EMPTY) {
            i = (i + 1) & (keys.length - 1);
        }
        keys[i] = key;
        children[i] = child;
        edges++;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldChildren = children;
        keys = new long[oldKeys.length * 2];
        children = new int[keys.length];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int j = slot(oldKeys[i]);
                while (keys[j] != EMPTY) {
                    j = (j + 1) & (keys.length - 1);
                }
                keys[j] = oldKeys[i];
                children[j] = oldChildren[i];
            }
        }
    }

    {
        Arrays.fill(keys, EMPTY);
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & (keys.length - 1);
    }
}
