package dev.aperture.search;

/** What the index holds about one file, besides its embedding: enough to tell whether the file changed. */
record IndexedImage(String path, long size, long modifiedMillis, String sha256) {
}
