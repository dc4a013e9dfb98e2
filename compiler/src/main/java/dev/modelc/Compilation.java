package dev.modelc;

import dev.modelc.check.TypedPrinter;
import dev.modelc.check.TypedProgram;
import dev.modelc.diag.Diagnostic;
import dev.modelc.diag.DiagnosticPrinter;
import dev.modelc.diag.Diagnostics;
import dev.modelc.graph.GraphModule;
import dev.modelc.opt.Simplifier;
import dev.modelc.resolve.Program;
import dev.modelc.syntax.AstPrinter;
import java.util.List;
import java.util.Optional;

/** The result of running the front end on one file. */
public final class Compilation {
    private final Program program;
    private final TypedProgram typed;
    private final List<GraphModule> graphs;
    private final boolean lowered;
    private final List<Diagnostic> diagnostics;
    private final boolean hasErrors;
    private final boolean truncated;
    private List<GraphModule> simplified;

    Compilation(Program program, TypedProgram typed, List<GraphModule> graphs, Diagnostics diagnostics) {
        this(program, typed, graphs, diagnostics, false);
    }

    Compilation(Program program, TypedProgram typed, List<GraphModule> graphs, Diagnostics diagnostics, boolean lowered) {
        this.lowered = lowered;
        this.program = program;
        this.typed = typed;
        this.graphs = List.copyOf(graphs);
        this.diagnostics = diagnostics.sorted();
        this.hasErrors = diagnostics.hasErrors();
        this.truncated = diagnostics.truncated();
    }

    /** Diagnostics in source order (errors and warnings). */
    public List<Diagnostic> diagnostics() { return diagnostics; }

    public boolean hasErrors() { return hasErrors; }

    /** The checked program; empty when there are errors. */
    public Optional<TypedProgram> typedProgram() { return hasErrors ? Optional.empty() : Optional.ofNullable(typed); }

    Program program() { return program; }

    /** This compilation with every model lowered to Graph IR; lowering errors join the diagnostics. */
    public Compilation lower() { return lowered || hasErrors ? this : Frontend.lower(this); }

    /** Each model of the root file lowered to Graph IR (its entry points); empty before {@link #lower()} or with errors. */
    public List<GraphModule> graphs() { return hasErrors ? List.of() : graphs; }

    /**
     * Each lowered model after the standard simplification passes (CSE, constant folding,
     * algebraic rules, DCE): what the backends compile. Computed once.
     */
    public synchronized List<GraphModule> simplified() {
        if (simplified == null) simplified = graphs().stream().map(Simplifier.standard()::apply).toList();
        return simplified;
    }

    /** The model named {@code name}, or the only model when {@code name} is null. */
    public Optional<GraphModule> graph(String name) {
        var all = graphs();
        if (name == null) return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
        return all.stream().filter(g -> g.model().equals(name)).findFirst();
    }

    /** The diagnostics rendered for a terminal: location, message, source line, caret; then a count line. */
    public String renderDiagnostics() { return DiagnosticPrinter.render(diagnostics, truncated); }

    /** The AST of the root file, printed readably ({@code ir --stage ast}); empty when it did not parse. */
    public String astText() { return program == null ? "" : AstPrinter.print(program.root().module().ast()); }

    /** Every binding of the checked program with its type ({@code ir --stage typed}); empty when there are errors. */
    public String typedText() { return typedProgram().map(TypedPrinter::print).orElse(""); }
}
