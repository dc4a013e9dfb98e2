package dev.modelc.cli;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import dev.modelc.api.ModelException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns what goes wrong into short messages on stderr and the exit codes of the CLI contract. */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

    private final PrintWriter err;
    private final BooleanSupplier debug;

    ErrorReporter(PrintWriter err, BooleanSupplier debug) {
        this.err = err;
        this.debug = debug;
    }

    /** A bad command line: the problem, a suggestion where picocli has one, and where to find help. */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        err.println("modelc: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return Main.BAD_COMMAND_LINE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
        if (e instanceof UserError || e instanceof ModelException) {
            if (!(e instanceof UserError u && u.alreadyReported())) err.println("modelc: " + e.getMessage());
            err.flush();
            return Main.USER_ERROR;
        }
        return internalError(e);
    }

    /** A bug of ours (or the JVM running out of something): one line, the stack trace only with --debug. */
    int internalError(Throwable t) {
        String message = t.getMessage() == null
                ? t.getClass().getName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
        err.println("modelc: internal error: " + message.lines().findFirst().orElse(message));
        if (debug.getAsBoolean()) {
            t.printStackTrace(err);
        }
        err.flush();
        return Main.INTERNAL_ERROR;
    }
}
