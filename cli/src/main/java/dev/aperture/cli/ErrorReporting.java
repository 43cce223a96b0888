package dev.aperture.cli;

import dev.aperture.core.ApertureException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How failures become exit codes, for every subcommand:
 * <ul>
 *   <li>{@link ApertureException} (bad input: a malformed file, a missing model): {@code error: <message>} on
 *       stderr, exit {@value #EXIT_BAD_INPUT};</li>
 *   <li>a picocli {@link CommandLine.ParameterException} (bad usage): {@code error: <message>} and the usage help on
 *       stderr, exit {@value #EXIT_BAD_USAGE};</li>
 *   <li>anything else is a bug: {@code error: internal error ...} and the stack trace, exit {@value #EXIT_INTERNAL}.</li>
 * </ul>
 */
final class ErrorReporting {
    static final int EXIT_BAD_INPUT = 1;
    static final int EXIT_BAD_USAGE = 2;
    static final int EXIT_INTERNAL = 3;

    private ErrorReporting() {
    }

    /** Installs both handlers on {@code commandLine} (they apply to its subcommands too). */
    static CommandLine configure(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler(ErrorReporting::onExecutionException);
        commandLine.setParameterExceptionHandler(ErrorReporting::onParameterException);
        return commandLine;
    }

    private static int onExecutionException(Exception exception, CommandLine commandLine,
                                            CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (exception instanceof ApertureException) {
            err.println("error: " + exception.getMessage());
            return EXIT_BAD_INPUT;
        }
        err.println("error: internal error (please report it): " + exception);
        exception.printStackTrace(err);
        return EXIT_INTERNAL;
    }

    private static int onParameterException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        commandLine.usage(err);
        return EXIT_BAD_USAGE;
    }
}
