package dev.modelc.cli;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse and type-check model files; diagnostics go to stderr.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The .model files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        var frontend = Frontend.create();
        boolean failed = false;
        for (Path file : files) {
            failed |= check(frontend, file, spec.commandLine().getErr()).hasErrors();
        }
        return failed ? Main.USER_ERROR : 0;
    }

    /** Runs the front end on one file and prints its diagnostics, if any, to {@code err}. */
    static Compilation check(Frontend frontend, Path file, PrintWriter err) {
        var compilation = frontend.compile(file);
        String diagnostics = compilation.renderDiagnostics();
        if (!diagnostics.isEmpty()) {
            err.print(diagnostics);
            err.flush();
        }
        return compilation;
    }
}
