package dev.aperture.models.source;

import dev.aperture.core.InputException;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks names that come from outside (file names in a model's file set or in a shard index, ETags and commit
 * hashes sent by a server) before they become paths inside the cache. A name that fails is refused rather than
 * cleaned up: a server or index that sends {@code ../../.bashrc} is not one to trust with anything else.
 */
final class RepoPaths {

    private static final Pattern FILE_PART = Pattern.compile("[A-Za-z0-9_.\\-+ ]+");
    // ETags name blobs: a git sha1 (40 hex) or an LFS sha256 (64 hex) on the real hub; allow any plain token.
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    private RepoPaths() {
    }

    /**
     * Returns {@code fileName} (a '/'-separated path inside a repository) after checking it has no empty, "." or
     * ".." component, no backslash and is not absolute.
     *
     * @param origin where the name came from, for the error message
     */
    static String checkFileName(String fileName, String origin) {
        boolean valid = fileName != null && !fileName.isEmpty() && fileName.length() <= 1024;
        if (valid) {
            for (String part : fileName.split("/", -1)) {
                valid &= FILE_PART.matcher(part).matches() && !part.equals(".") && !part.equals("..");
            }
        }
        if (!valid) {
            throw new InputException("refusing file name '" + fileName + "' from " + origin
                    + ": it must be a relative path without '..', '.', backslashes or empty parts");
        }
        return fileName;
    }

    /** Resolves a checked repository file name below {@code folder}, one component at a time. */
    static Path resolve(Path folder, String fileName) {
        Path path = folder;
        for (String part : fileName.split("/")) {
            path = path.resolve(part);
        }
        return path;
    }

    /** ETag as huggingface_hub normalises it (W/ prefix and quotes stripped), checked to be a plain file name. */
    static String normalizeEtag(String rawEtag, String url) {
        if (rawEtag == null) {
            return null;
        }
        String etag = rawEtag.trim();
        if (etag.startsWith("W/")) {
            etag = etag.substring(2);
        }
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        if (!ETAG.matcher(etag).matches() || etag.length() > 200) {
            throw new InputException("refusing ETag '" + rawEtag + "' sent for " + url
                    + ": it names a cache file and must be a plain token (hex digest)");
        }
        return etag;
    }
}
