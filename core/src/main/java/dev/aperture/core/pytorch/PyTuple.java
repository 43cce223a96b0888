package dev.aperture.core.pytorch;

import java.util.List;

/** A Python tuple read from a pickle: an immutable list of values. Compared by identity (tuples are never keys). */
final class PyTuple {
    private final List<Object> items;

    PyTuple(List<Object> items) {
        this.items = List.copyOf(items);
    }

    static PyTuple of(Object... items) {
        return new PyTuple(List.of(items));
    }

    List<Object> items() {
        return items;
    }

    int size() {
        return items.size();
    }

    Object get(int index) {
        return items.get(index);
    }
}
