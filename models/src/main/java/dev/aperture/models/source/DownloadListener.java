package dev.aperture.models.source;

/**
 * Told about each file downloaded from the hub, to show progress. Calls for one file come from one thread, in
 * order: {@code started}, any number of {@code progressed}, then {@code finished} or {@code failed}. Also told,
 * once per {@link ModelSource#resolve}, when the weights come from the hub's safetensors conversion pull request
 * rather than from the revision asked for.
 */
public interface DownloadListener {

    /**
     * A download begins.
     *
     * @param fileName   the file's name in the repository
     * @param totalBytes its size, or -1 when the server did not say
     * @param resumedAt  bytes already on disk from an interrupted download (0 for a fresh one)
     */
    void started(String fileName, long totalBytes, long resumedAt);

    /** {@code bytesDone} of the file (counting resumed bytes) are on disk. */
    void progressed(String fileName, long bytesDone);

    /** The file is downloaded and verified. */
    void finished(String fileName);

    /** The download failed (the exception that says why is thrown to the caller right after). */
    default void failed(String fileName) {
    }

    /**
     * The revision asked for has no safetensors weights, so they come from its conversion pull request (downloaded
     * now or found in the cache); the other files still come from the revision asked for. Called once per resolve,
     * before it returns, so that a user can be told where the weights they run came from.
     *
     * @param model       the model as asked for (its repository and revision)
     * @param pullRequest the pull request, at {@link ConversionPullRequest#revision()}, by
     *                    {@link ConversionPullRequest#AUTHOR}, whose head commit's weights are used
     */
    default void weightsFromConversionPullRequest(HubRef model, ConversionPullRequest pullRequest) {
    }

    /** A listener that shows nothing. */
    static DownloadListener quiet() {
        return new DownloadListener() {
            @Override
            public void started(String fileName, long totalBytes, long resumedAt) {
            }

            @Override
            public void progressed(String fileName, long bytesDone) {
            }

            @Override
            public void finished(String fileName) {
            }
        };
    }

    /**
     * A progress bar on stderr when the process runs in an interactive terminal, else quiet. Since JDK 22
     * {@code System.console()} is non-null even when output is redirected, so {@code isTerminal()} decides.
     */
    static DownloadListener forTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new TerminalProgressBar(System.err) : quiet();
    }
}
