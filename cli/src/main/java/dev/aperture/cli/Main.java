package dev.aperture.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code ./aperture}: dispatches to one subcommand per job, each in its own class.
 *
 * <p>Conventions every subcommand follows (wired here, see {@link ErrorReporting}): write results to
 * {@code spec.commandLine().getOut()}; report bad input by throwing an {@link dev.aperture.core.ApertureException}
 * subclass, which becomes one line {@code error: <message>} on stderr and exit code 1; picocli reports bad usage
 * (unknown option, missing argument) with the usage help on stderr and exit code 2.
 */
@Command(name = "aperture", mixinStandardHelpOptions = true, version = "aperture 0.1.0",
        description = "Run CLIP-style embedding models from the JVM.",
        subcommands = {ClassifyCommand.class, EmbedCommand.class, TokenizeCommand.class, InspectCommand.class,
                DevicesCommand.class, BenchCommand.class, ClassifyTextCommand.class, ConvertCommand.class,
                ServeCommand.class, IndexCommand.class, SearchCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** What {@code --input -} reads; subcommands reach it through their {@code @ParentCommand}. */
    final InputStream stdin;

    private Main(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on stdout/stderr and returns the exit code (0 ok, 1 bad input, 2 bad usage). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output and error writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.in, out, err, args);
    }

    /** Runs the command line reading {@code --input -} from {@code stdin} (tests supply it). */
    public static int run(InputStream stdin, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = ErrorReporting.configure(new CommandLine(new Main(stdin)));
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Without a subcommand there is nothing to do: show the usage and report bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ErrorReporting.EXIT_BAD_USAGE;
    }
}
