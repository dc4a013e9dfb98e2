package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.diag.Diagnostic;
import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Span;
import dev.modelc.diag.Suggestions;
import dev.modelc.resolve.FnRef;
import dev.modelc.resolve.Program;
import dev.modelc.resolve.StdLibrary;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Type and shape checking of a resolved program: every function of every loaded module
 * generically, then each model of the root file member by member, then its train block.
 */
public final class Checker {
    final Diagnostics diagnostics;
    final ExprChecker exprs = new ExprChecker(this);
    final FunctionChecker functions = new FunctionChecker(this);
    final Map<String, Double> hyperparameterOverrides;
    private final Program program;

    private Checker(Program program, Diagnostics diagnostics, Map<String, Double> hyperparameterOverrides) {
        this.program = program;
        this.diagnostics = diagnostics;
        this.hyperparameterOverrides = hyperparameterOverrides;
    }

    public static TypedProgram check(Program program, Diagnostics diagnostics) {
        return check(program, diagnostics, Map.of());
    }

    /** Checks with optimiser hyperparameters overridden in train blocks (see {@code Frontend.withHyperparameters}). */
    public static TypedProgram check(Program program, Diagnostics diagnostics, Map<String, Double> hyperparameterOverrides) {
        return new Checker(program, diagnostics, hyperparameterOverrides).run();
    }

    private TypedProgram run() {
        var fns = new ArrayList<TypedFunction>();
        for (var module : program.modules()) {
            for (var overloads : module.ownFunctions().values()) {
                for (var fn : overloads) {
                    // Standard-library warnings are ours to fix, not the user's to read.
                    var sink = module.module().isStd() ? new Diagnostics() : diagnostics;
                    var typed = functions.checkGeneric(fn, sink);
                    if (module.module().isStd()) for (var d : sink.sorted()) if (d.isError()) diagnostics.report(d);
                    if (module == program.root()) fns.add(typed);
                }
                checkOverloads(overloads);
            }
        }
        var models = new ArrayList<TypedModel>();
        var names = new LinkedHashMap<String, Span>();
        for (var m : program.root().module().ast().models()) {
            var prior = names.putIfAbsent(m.name(), m.span());
            if (prior != null) diagnostics.error(m.span(), "name-duplicate", "model '" + m.name() + "' is already defined at " + prior.line() + ":" + prior.column());
            models.add(new ModelChecker(this, program.root(), m).check());
        }
        return new TypedProgram(program, models, fns, functions.callSites);
    }

    /** Overloads must differ in their parameter types, or calls could not choose. */
    private void checkOverloads(List<FnRef> overloads) {
        for (int i = 1; i < overloads.size(); i++) {
            for (int j = 0; j < i; j++) {
                var a = overloads.get(i).decl();
                var b = overloads.get(j).decl();
                if (canonical(a).equals(canonical(b))) {
                    diagnostics.error(a.nameSpan(), "name-duplicate", "function '" + a.name() + "' is already defined with the same parameter types at "
                            + b.nameSpan().line() + ":" + b.nameSpan().column());
                }
            }
        }
    }

    /**
     * A signature with parameter names dropped and dimension variables renamed by order of first
     * appearance: two overloads with the same canonical form could never be told apart.
     */
    private static String canonical(Ast.FnDecl fn) {
        var names = new LinkedHashMap<String, Integer>();
        var sb = new StringBuilder();
        for (var p : fn.params()) canonical(p.type(), names, sb);
        return sb.toString();
    }

    private static void canonical(Ast.TypeExpr t, Map<String, Integer> names, StringBuilder sb) {
        switch (t) {
            case Ast.TupleTypeExpr tu -> {
                sb.append('(');
                tu.elements().forEach(e -> canonical(e, names, sb));
                sb.append(')');
            }
            case Ast.TensorTypeExpr tt -> {
                sb.append(tt.elementType()).append('[');
                tt.dims().forEach(d -> { canonical(d, names, sb); sb.append(','); });
                sb.append("];");
            }
        }
    }

    private static void canonical(Ast.Dim d, Map<String, Integer> names, StringBuilder sb) {
        switch (d) {
            case Ast.DimInt i -> sb.append(i.value());
            case Ast.DimVar v -> sb.append('v').append(names.computeIfAbsent(v.name(), k -> names.size()));
            case Ast.DimPack p -> sb.append("*v").append(names.computeIfAbsent("*" + p.name(), k -> names.size()));
            case Ast.DimNeg n -> { sb.append("-("); canonical(n.operand(), names, sb); sb.append(')'); }
            case Ast.DimBinary b -> {
                sb.append('(');
                canonical(b.left(), names, sb);
                sb.append(b.op());
                canonical(b.right(), names, sb);
                sb.append(')');
            }
        }
    }

    /** Reports an unknown name with the closest visible one, or the std module that defines it. */
    void unknownName(String name, Span span, Scope scope, boolean called) {
        var candidates = new HashSet<String>(scope.locals.keySet());
        candidates.addAll(scope.module.visibleNames());
        candidates.addAll(scope.dims.keySet());
        if (called) candidates.addAll(Builtins.names());
        String hint = Suggestions.closest(name, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
        if (hint.isEmpty()) {
            for (String module : StdLibrary.MODULES) {
                if (defines(module, name)) {
                    hint = "; it is defined in " + module + " (add: import " + module + ".*)";
                    break;
                }
            }
        }
        String what = !called && Character.isUpperCase(name.charAt(0)) ? "unknown name or dimension variable '" : "unknown name '";
        diagnostics(scope).error(span, "name-unknown", what + name + "'" + hint);
    }

    private static Diagnostics diagnostics(Scope scope) { return scope.diagnostics; }

    private final Map<String, Set<String>> stdNames = new LinkedHashMap<>();

    private boolean defines(String module, String name) {
        var names = stdNames.computeIfAbsent(module, m -> {
            var set = new HashSet<String>();
            StdLibrary.source(m).ifPresent(text -> {
                var matcher = java.util.regex.Pattern.compile("(?m)^\\s*fn\\s+([A-Za-z_][A-Za-z0-9_]*)").matcher(text);
                while (matcher.find()) set.add(matcher.group(1));
            });
            return set;
        });
        return names.contains(name);
    }


    static boolean isFloatScalar(Typed t) {
        return t.type() instanceof Tensor x && x.isScalar() && (x.dtype().isFloat() || x.weak());
    }
}
