package dev.aperture.models.source;

import dev.aperture.core.ApertureException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Checks a downloaded file against the ETag the hub sent: for LFS files the ETag is the SHA-256 of the content
 * (64 hex digits); for files stored in git it is the git blob id, SHA-1 of {@code "blob <size>\0" + content}
 * (40 hex digits). Any other ETag form cannot be checked and is accepted.
 */
final class Digests {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-fA-F]{40}");

    private Digests() {
    }

    /** The file's actual digest when it differs from {@code etag}; null when it matches or the ETag is no digest. */
    static String mismatch(Path file, String etag) throws IOException {
        String actual;
        if (SHA256_HEX.matcher(etag).matches()) {
            actual = hex(file, "SHA-256", null);
        } else if (SHA1_HEX.matcher(etag).matches()) {
            actual = hex(file, "SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        } else {
            return null;
        }
        return actual.equalsIgnoreCase(etag) ? null : actual;
    }

    private static String hex(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new ApertureException(algorithm + " is not available in this JVM", e);
        }
        if (prefix != null) {
            digest.update(prefix);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
