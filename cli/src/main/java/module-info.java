/**
 * The {@code aperture} command line. Exports nothing: it is run, not called. Runs from the shaded jar on the class
 * path ({@code ./aperture}); the descriptor states what it depends on and lets picocli into its commands.
 */
module dev.aperture.cli {
    requires dev.aperture.core;
    requires dev.aperture.models;
    requires dev.aperture.server;         // aperture serve; ResultJson for the classify commands
    requires dev.aperture.search;         // aperture index, aperture search
    requires dev.aperture.backend.gpu;   // aperture devices: OpenCl.listDevices()
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.desktop;               // aperture bench feeds the image tower BufferedImages

    // picocli reads and writes the commands' @Option and @Parameters fields and constructs the subcommands
    // reflectively.
    opens dev.aperture.cli to info.picocli;
}
