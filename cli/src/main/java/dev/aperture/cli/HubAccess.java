package dev.aperture.cli;

import dev.aperture.models.source.HubOptions;
import picocli.CommandLine.Option;

/** Whether a command may use the network to fetch a hub model, and whether it shows download progress on stderr. */
final class HubAccess {
    @Option(names = "--offline", description = "Use only the hub cache, never the network (also HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--quiet", description = "No download progress bars (and, for convert, no conversion progress).")
    boolean quiet;

    /** The environment's hub options ({@link HubOptions#fromEnvironment()}) with these flags applied. */
    HubOptions hubOptions() {
        HubOptions options = HubOptions.fromEnvironment();
        options = options.withOffline(options.offline() || offline);  // HF_HUB_OFFLINE=1 holds without --offline
        return quiet ? options.quiet() : options;
    }
}
