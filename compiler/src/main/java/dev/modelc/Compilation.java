package dev.modelc;

import dev.modelc.check.TypedPrinter;
import dev.modelc.check.TypedProgram;
import dev.modelc.diag.Diagnostic;
import dev.modelc.diag.DiagnosticPrinter;
import dev.modelc.diag.Diagnostics;
import dev.modelc.resolve.Program;
import dev.modelc.syntax.AstPrinter;
import java.util.List;
import java.util.Optional;

/** The result of running the front end on one file. */
public final class Compilation {
    private final Program program;
    private final TypedProgram typed;
    private final List<Diagnostic> diagnostics;
    private final boolean hasErrors;
    private final boolean truncated;

    Compilation(Program program, TypedProgram typed, Diagnostics diagnostics) {
        this.program = program;
        this.typed = typed;
        this.diagnostics = diagnostics.sorted();
        this.hasErrors = diagnostics.hasErrors();
        this.truncated = diagnostics.truncated();
    }

    /** Diagnostics in source order (errors and warnings). */
    public List<Diagnostic> diagnostics() { return diagnostics; }

    public boolean hasErrors() { return hasErrors; }

    /** The checked program; empty when there are errors. */
    public Optional<TypedProgram> typedProgram() { return hasErrors ? Optional.empty() : Optional.ofNullable(typed); }

    /** The diagnostics rendered for a terminal: location, message, source line, caret; then a count line. */
    public String renderDiagnostics() { return DiagnosticPrinter.render(diagnostics, truncated); }

    /** The AST of the root file, printed readably ({@code ir --stage ast}); empty when it did not parse. */
    public String astText() { return program == null ? "" : AstPrinter.print(program.root().module().ast()); }

    /** Every binding of the checked program with its type ({@code ir --stage typed}); empty when there are errors. */
    public String typedText() { return typedProgram().map(TypedPrinter::print).orElse(""); }
}
