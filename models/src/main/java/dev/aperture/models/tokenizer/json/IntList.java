package dev.aperture.models.tokenizer.json;

import java.util.Arrays;

/** Growable int array, to avoid boxing on the hot paths of the tokenizers. */
public final class IntList {
    private int[] values = new int[32];
    private int size;

    public void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    public void addAll(int[] more) {
        if (size + more.length > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
        }
        System.arraycopy(more, 0, values, size, more.length);
        size += more.length;
    }

    /** The last value added; the list must not be empty. */
    public int last() {
        return values[size - 1];
    }

    /** Drops every value from {@code index} on. */
    public void truncate(int index) {
        size = Math.min(size, index);
    }

    public int size() {
        return size;
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
