package dev.aperture.core.pytorch;

/** Python's {@code None} (Java's null is kept for "nothing here" in the interpreter's own bookkeeping). */
enum PyNone {
    NONE
}
