package dev.aperture.models.bert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default model source extracts the files golden.json was made from (the jar is in the local repository). */
class AllMiniLmL6V2Test {

    @Test
    void extractsTheGoldenOnnxAndTokenizerIntoTheCache(@TempDir Path cache) throws Exception {
        String previous = System.getProperty("aperture.cache");
        System.setProperty("aperture.cache", cache.toString());
        try {
            List<String> messages = new ArrayList<>();
            AllMiniLmL6V2.OnnxFiles files = AllMiniLmL6V2.resolve(messages::add);
            assertTrue(files.onnx().startsWith(cache), files.onnx().toString());
            assertEquals(MiniLmFixture.golden().get("onnx_sha256").asText(), sha256(files.onnx()));
            assertEquals(MiniLmFixture.golden().get("tokenizer_json_sha256").asText(), sha256(files.tokenizer()));
            assertEquals(files, AllMiniLmL6V2.resolve(messages::add), "second call reuses the cache");
        } finally {
            if (previous == null) {
                System.clearProperty("aperture.cache");
            } else {
                System.setProperty("aperture.cache", previous);
            }
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
