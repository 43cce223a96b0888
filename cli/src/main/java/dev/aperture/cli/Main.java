package dev.aperture.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./aperture}: dispatches to one subcommand per job. */
@Command(name = "aperture", mixinStandardHelpOptions = true, version = "aperture 0.1.0",
        description = "Run CLIP-style embedding models from the JVM.",
        subcommands = {})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 bad input, 2 bad usage). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.err);
    }
}
