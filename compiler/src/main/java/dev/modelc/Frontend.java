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
        return onLargeStack(() -> {
            var diagnostics = new Diagnostics(errorLimit);
            return finish(new ModuleLoader(diagnostics).load(file), diagnostics);
        });
    }

    /** Compiles source text; {@code name} is shown in diagnostics, imports resolve relative to the working directory. */
    public Compilation compileString(String name, String text) {
        return compileString(name, text, Path.of("").toAbsolutePath());
    }

    /** Compiles source text whose file imports resolve relative to {@code dir}. */
    public Compilation compileString(String name, String text, Path dir) {
        return onLargeStack(() -> {
            var diagnostics = new Diagnostics(errorLimit);
            return finish(new ModuleLoader(diagnostics).load(name, text, dir), diagnostics);
        });
    }

    /**
     * Lowers every model of a checked compilation to Graph IR (the middle of the pipeline, run
     * only by the commands that need it, so {@code check} stays fast). Errors found here, such as
     * differentiating through argmax, join the compilation's diagnostics.
     */
    static Compilation lower(Compilation c) {
        return onLargeStack(() -> {
            var diagnostics = new Diagnostics();
            c.diagnostics().forEach(diagnostics::report);
            var graphs = new java.util.ArrayList<dev.modelc.graph.GraphModule>();
            var typed = c.typedProgram();
            if (typed.isPresent()) {
                for (var m : typed.get().models()) {
                    try {
                        graphs.add(dev.modelc.lower.Lowering.lower(m));
                    } catch (dev.modelc.lower.LoweringException e) {
                        diagnostics.error(e.span(), e.code(), e.getMessage());
                    } catch (ArithmeticException overflow) {
                        // Element counts of huge symbolic shapes (e.g. 10^12 x 10^12) do not fit in 64 bits.
                        diagnostics.error(m.decl().span(), "dim-overflow", "model '" + m.decl().name()
                                + "': a tensor's element count overflows 64-bit integers");
                    }
                }
            }
            return new Compilation(c.program(), typed.orElse(null), graphs, diagnostics, true);
        });
    }

    /** Stack for the front end's thread: the passes recurse over expressions up to the parser's depth limits. */
    private static final long STACK_BYTES = 64L << 20;

    /**
     * Runs the front end on a thread with a large stack, so that the deepest program the parser
     * accepts is checked the same whatever stack the caller's thread happens to have.
     */
    private static Compilation onLargeStack(java.util.function.Supplier<Compilation> work) {
        var result = new Compilation[1];
        var failure = new Throwable[1];
        var thread = new Thread(null, () -> {
            try {
                result[0] = work.get();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "modelc-frontend", STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        }
        if (failure[0] instanceof RuntimeException r) throw r;
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        return result[0];
    }

    private static Compilation finish(Optional<Program> program, Diagnostics diagnostics) {
        if (program.isEmpty()) return new Compilation(null, null, java.util.List.of(), diagnostics);
        try {
            var typed = Checker.check(program.get(), diagnostics);
            return new Compilation(program.get(), typed, java.util.List.of(), diagnostics);
        } catch (StackOverflowError deep) {
            var root = program.get().root().module();
            diagnostics.error(dev.modelc.diag.Span.of(root.source(), 0, 0), "nesting", "program is nested too deeply to check");
            return new Compilation(program.get(), null, java.util.List.of(), diagnostics);
        }
    }
}
