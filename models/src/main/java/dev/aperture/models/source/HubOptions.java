package dev.aperture.models.source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How {@link ModelSource} reaches the Hugging Face hub and where it caches models. {@link #fromEnvironment()}
 * reads the same environment variables as huggingface_hub, so Python and Aperture share one cache.
 *
 * @param endpoint   hub base URL ({@code $HF_ENDPOINT}, default https://huggingface.co)
 * @param token      access token for gated or private models ({@code $HF_TOKEN}), or null
 * @param cacheDir   the hub cache ({@code $HF_HUB_CACHE}, default {@code $HF_HOME/hub},
 *                   default {@code ~/.cache/huggingface/hub})
 * @param offline    use only the cache, never the network ({@code HF_HUB_OFFLINE=1} or the CLI's --offline)
 * @param listener   told about download progress ({@link DownloadListener#quiet()} for none)
 * @param files      which files of the repository to fetch
 * @param timeout    connect timeout, longest wait for a response's headers, and longest silence during a
 *                   download before it is dropped and resumed with a Range request (10 s, as huggingface_hub)
 */
public record HubOptions(URI endpoint, String token, Path cacheDir, boolean offline, DownloadListener listener,
                         ModelFiles files, Duration timeout) {

    /** The public hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    /** Rejects missing parts; a blank token means no token. */
    public HubOptions {
        if (endpoint == null || cacheDir == null || listener == null || files == null || timeout == null) {
            throw new IllegalArgumentException("endpoint, cacheDir, listener, files and timeout are required");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        String text = endpoint.toString();
        if (text.endsWith("/")) {
            endpoint = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /** Options from this process's environment, for CLIP files, with a progress bar when stderr is a terminal. */
    public static HubOptions fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Options from the given environment variables ({@link #fromEnvironment()} is this with the real ones). */
    public static HubOptions fromEnvironment(Map<String, String> env, Path userHome) {
        URI endpoint = env.containsKey("HF_ENDPOINT") ? URI.create(env.get("HF_ENDPOINT")) : DEFAULT_ENDPOINT;
        String token = env.getOrDefault("HF_TOKEN", env.get("HUGGING_FACE_HUB_TOKEN"));
        return new HubOptions(endpoint, token, cacheDir(env, userHome), isTrue(env.get("HF_HUB_OFFLINE")),
                DownloadListener.forTerminal(), ModelFiles.clip(), Duration.ofSeconds(10));
    }

    /** The cache folder huggingface_hub would use with these environment variables. */
    static Path cacheDir(Map<String, String> env, Path userHome) {
        for (String variable : new String[] {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        String xdgCache = env.get("XDG_CACHE_HOME");
        Path cacheRoot = xdgCache != null && !xdgCache.isBlank() ? Path.of(xdgCache) : userHome.resolve(".cache");
        return cacheRoot.resolve("huggingface").resolve("hub");
    }

    private static boolean isTrue(String value) {
        return value != null && switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    /** These options with {@code offline} set (the CLI passes {@code options.offline() || --offline}). */
    public HubOptions withOffline(boolean offline) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** These options without progress output (the CLI's --quiet). */
    public HubOptions quiet() {
        return withListener(DownloadListener.quiet());
    }

    /** These options reporting progress to {@code listener}. */
    public HubOptions withListener(DownloadListener listener) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** These options with another cache folder. */
    public HubOptions withCacheDir(Path cacheDir) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** These options with another hub endpoint. */
    public HubOptions withEndpoint(URI endpoint) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** These options with another token (null for none). */
    public HubOptions withToken(String token) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** These options fetching another file set. */
    public HubOptions withFiles(ModelFiles files) {
        return new HubOptions(endpoint, token, cacheDir, offline, listener, files, timeout);
    }

    /** The token is a secret: it never appears in logs or messages. */
    @Override
    public String toString() {
        return "HubOptions[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", cacheDir="
                + cacheDir + ", offline=" + offline + ", files=" + files + ", timeout=" + timeout + "]";
    }
}
