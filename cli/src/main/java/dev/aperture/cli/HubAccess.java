package dev.aperture.cli;

import dev.aperture.models.source.HubOptions;
import picocli.CommandLine.Option;

/** Whether a command may use the network to fetch a hub model, and what it says on stderr while it does. */
final class HubAccess {
    @Option(names = "--offline", description = "Use only the hub cache, never the network (also HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--quiet", description = "No download or conversion progress, and no note on where the weights"
            + " came from.")
    boolean quiet;

    /**
     * The environment's hub options ({@link HubOptions#fromEnvironment()}) with these flags applied: unless quiet,
     * progress bars on a terminal and a note when the weights come from a conversion pull request.
     */
    HubOptions hubOptions() {
        HubOptions options = HubOptions.fromEnvironment();
        options = options.withOffline(options.offline() || offline);  // HF_HUB_OFFLINE=1 holds without --offline
        return quiet ? options.quiet() : options.withListener(new WeightsOrigin(options.listener(), System.err));
    }
}
