package dev.modelc;

import dev.modelc.check.Checker;
import dev.modelc.diag.Diagnostics;
import dev.modelc.resolve.ModuleLoader;
import dev.modelc.resolve.Program;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The front half of the compiler: parse, resolve imports and names, check types and shapes.
 * Never throws for a user's mistake; everything wrong with the program comes back as
 * diagnostics in the {@link Compilation}.
 */
public final class Frontend {
    private final int errorLimit;

    private Frontend(int errorLimit) { this.errorLimit = errorLimit; }

    public static Frontend create() { return new Frontend(Diagnostics.DEFAULT_ERROR_LIMIT); }

    /** A front end that stops collecting errors after {@code errorLimit} of them. */
    public static Frontend withErrorLimit(int errorLimit) { return new Frontend(errorLimit); }

    /** Compiles a file from disk; an unreadable file is a diagnostic, not an exception. */
    public Compilation compile(Path file) {
        var diagnostics = new Diagnostics(errorLimit);
        return finish(new ModuleLoader(diagnostics).load(file), diagnostics);
    }

    /** Compiles source text; {@code name} is shown in diagnostics, imports resolve relative to the working directory. */
    public Compilation compileString(String name, String text) {
        return compileString(name, text, Path.of("").toAbsolutePath());
    }

    /** Compiles source text whose file imports resolve relative to {@code dir}. */
    public Compilation compileString(String name, String text, Path dir) {
        var diagnostics = new Diagnostics(errorLimit);
        return finish(new ModuleLoader(diagnostics).load(name, text, dir), diagnostics);
    }

    private static Compilation finish(Optional<Program> program, Diagnostics diagnostics) {
        if (program.isEmpty()) return new Compilation(null, null, diagnostics);
        try {
            var typed = Checker.check(program.get(), diagnostics);
            return new Compilation(program.get(), typed, diagnostics);
        } catch (StackOverflowError deep) {
            var root = program.get().root().module();
            diagnostics.error(dev.modelc.diag.Span.of(root.source(), 0, 0), "nesting", "program is nested too deeply to check");
            return new Compilation(program.get(), null, diagnostics);
        }
    }
}
