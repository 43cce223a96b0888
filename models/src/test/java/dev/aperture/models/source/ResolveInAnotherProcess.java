package dev.aperture.models.source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry point for {@link TwoProcessDownloadTest}: resolves a model in a separate JVM, as a second CLI run would.
 * Arguments: endpoint, cache folder, model reference. Prints the snapshot folder.
 */
public final class ResolveInAnotherProcess {

    private ResolveInAnotherProcess() {
    }

    public static void main(String[] args) {
        HubOptions options = new HubOptions(URI.create(args[0]), null, Path.of(args[1]), false,
                DownloadListener.quiet(), ModelFiles.clip(), Duration.ofSeconds(30));
        System.out.println(ModelSource.resolve(args[2], options).folder());
    }
}
