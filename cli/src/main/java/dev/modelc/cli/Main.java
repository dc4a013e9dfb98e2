package dev.modelc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code modelc} command: parses the command line and hands over to one subcommand. */
@Command(
        name = "modelc",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "An ahead-of-time compiler for a small tensor language.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            CheckCommand.class,
            IrCommand.class,
            RunCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            CompileCommand.class,
            TestCommand.class,
            BenchCommand.class,
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 user error (bad program, bad data, failed test),",
            "2 bad command line, 3 internal error.",
            "Run 'modelc COMMAND --help' for the options of one command."
        })
public final class Main {

    public static final int USER_ERROR = 1;
    public static final int BAD_COMMAND_LINE = 2;
    public static final int INTERNAL_ERROR = 3;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an internal error, print the stack trace as well.")
    boolean debug;

    public static void main(String[] args) {
        var out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        var err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** Runs one command line and returns its exit code; everything it prints goes to {@code out} and {@code err}. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(new CommandLine(new Main()), args, out, err);
    }

    /** Runs {@code args} against a command tree rooted at a {@code Main} (tests add commands to it). */
    static int execute(CommandLine commandLine, String[] args, PrintStream out, PrintStream err) {
        Main main = commandLine.getCommand();
        var errWriter = new PrintWriter(err, true);
        var errors = new ErrorReporter(errWriter, () -> main.debug);
        commandLine.setOut(new PrintWriter(out, true))
                .setErr(errWriter)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
        LabeledEnum.register(commandLine, Stage.class);
        LabeledEnum.register(commandLine, BackendName.class);
        LabeledEnum.register(commandLine, CompileTarget.class);
        try {
            return commandLine.execute(args);
        } catch (Error e) { // picocli hands only Exceptions to the handler; an OutOfMemoryError is ours to report too
            return errors.internalError(e);
        }
    }
}
