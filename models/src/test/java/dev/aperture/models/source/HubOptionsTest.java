package dev.aperture.models.source;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Environment variables are read as huggingface_hub reads them. */
class HubOptionsTest {

    static final Path HOME = Path.of("/home/user");

    @Test
    void defaultsAreThePublicHubAndTheUserCache() {
        HubOptions options = HubOptions.fromEnvironment(Map.of(), HOME);

        assertEquals(URI.create("https://huggingface.co"), options.endpoint());
        assertEquals(Path.of("/home/user/.cache/huggingface/hub"), options.cacheDir());
        assertNull(options.token());
        assertFalse(options.offline());
    }

    @Test
    void hfHubCacheWinsOverHfHome() {
        assertEquals(Path.of("/c"), HubOptions.fromEnvironment(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), HOME)
                .cacheDir());
        assertEquals(Path.of("/h/hub"), HubOptions.fromEnvironment(Map.of("HF_HOME", "/h"), HOME).cacheDir());
        assertEquals(Path.of("/x/huggingface/hub"),
                HubOptions.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), HOME).cacheDir());
    }

    @Test
    void endpointTokenAndOfflineComeFromTheEnvironment() {
        HubOptions options = HubOptions.fromEnvironment(
                Map.of("HF_ENDPOINT", "https://mirror.example/", "HF_TOKEN", "hf_abc", "HF_HUB_OFFLINE", "1"), HOME);

        assertEquals(URI.create("https://mirror.example"), options.endpoint());
        assertEquals("hf_abc", options.token());
        assertTrue(options.offline());
        assertFalse(options.toString().contains("hf_abc"));
    }

    @Test
    void offlineAcceptsTheSpellingsHuggingfaceHubAccepts() {
        for (String on : new String[] {"1", "true", "YES", "on"}) {
            assertTrue(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", on), HOME).offline(), on);
        }
        assertFalse(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), HOME).offline());
    }
}
