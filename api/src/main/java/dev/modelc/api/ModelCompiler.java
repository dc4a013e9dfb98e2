package dev.modelc.api;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import java.nio.file.Path;

/**
 * The entry point for embedding modelc: compiles a {@code .model} file (or source text) for a
 * backend. A compiler holds no state between compilations and may be shared between threads.
 */
public final class ModelCompiler {
    private final Frontend frontend;

    private ModelCompiler(Frontend frontend) { this.frontend = frontend; }

    public static ModelCompiler create() { return new ModelCompiler(Frontend.create()); }

    /** Compiles the only model of a file. */
    public CompiledModel compile(Path file, Backend backend) { return compile(file, backend, null); }

    /** Compiles the model called {@code model} of a file (any model when null and the file has one). */
    public CompiledModel compile(Path file, Backend backend, String model) {
        return compile(frontend.compile(file), backend, model);
    }

    /** Compiles source text; {@code name} is the file name shown in diagnostics, imports resolve from the working directory. */
    public CompiledModel compileString(String name, String source, Backend backend) {
        return compile(frontend.compileString(name, source), backend, null);
    }

    /**
     * Compiles a front-end result (e.g. one whose diagnostics the caller has already shown).
     *
     * @throws CompileException when the program has errors, including errors found while lowering
     */
    public static CompiledModel compile(Compilation compilation, Backend backend, String model) {
        var lowered = compilation.lower();
        if (lowered.hasErrors()) throw new CompileException(lowered.renderDiagnostics());
        var models = lowered.typedProgram().orElseThrow().models();
        var names = models.stream().map(m -> m.decl().name()).toList();
        if (names.isEmpty()) throw new CompileException("the file defines no model");
        String chosen = model;
        if (chosen == null) {
            if (names.size() > 1) throw new CompileException("the file defines " + names.size() + " models (" + String.join(", ", names) + "); choose one");
            chosen = names.get(0);
        }
        int index = names.indexOf(chosen);
        if (index < 0) throw new CompileException("the file has no model '" + chosen + "'; it defines " + String.join(", ", names));
        String name = chosen;
        var graphs = lowered.simplified().stream().filter(g -> g.model().equals(name)).findFirst().orElseThrow();
        return new CompiledModel(models.get(index), graphs, backend);
    }
}
