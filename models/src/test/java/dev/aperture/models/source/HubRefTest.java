package dev.aperture.models.source;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and safety rules of hub model references. */
class HubRefTest {

    @Test
    void idWithoutRevisionMeansMain() {
        HubRef ref = HubRef.parse("openai/clip-vit-base-patch32");

        assertEquals("openai/clip-vit-base-patch32", ref.repoId());
        assertEquals("main", ref.revision());
        assertEquals("models--openai--clip-vit-base-patch32", ref.cacheFolderName());
    }

    @Test
    void revisionFollowsTheAtSign() {
        HubRef ref = HubRef.parse("laion/CLIP-ViT-B-32-laion2B-s34B-b79K@refs/pr/12");

        assertEquals("laion/CLIP-ViT-B-32-laion2B-s34B-b79K", ref.repoId());
        assertEquals("refs/pr/12", ref.revision());
        assertFalse(ref.revisionIsCommit());
    }

    @Test
    void fullCommitHashIsRecognised() {
        assertTrue(HubRef.parse("org/name@3d74acf9a28c67741b2f4f2ea7635f0aaf6f0268").revisionIsCommit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"org/..", "../name", "org/../../etc", "org/name/extra", "/org/name", "org//name",
            "org\\name", "org/", "org/name@", "org/name@../../x", "org/name@a//b", "org/name@/main",
            "org/name@a\\b", "org--x/name", "org/na..me", ""})
    void refusesReferencesThatCouldEscapeTheCache(String reference) {
        assertThrows(InputException.class, () -> HubRef.parse(reference));
    }

    @Test
    void fileNamesWithDotDotAbsolutePathsOrBackslashesAreRefused() {
        for (String bad : new String[] {"../config.json", "/etc/passwd", "a\\b.json", "a//b.json", "./x.json", ""}) {
            assertThrows(InputException.class, () -> RepoPaths.checkFileName(bad, "a test"), bad);
        }
        assertEquals("sub/model-00001-of-00002.safetensors",
                RepoPaths.checkFileName("sub/model-00001-of-00002.safetensors", "a test"));
    }
}
