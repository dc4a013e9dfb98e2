package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Infers a function's dimension variables and shape packs from the argument types at one call.
 * Plain variables bind first; then each remaining written dimension is substituted and compared,
 * or solved when exactly one unbound variable appears linearly in it.
 */
final class Unifier {
    final Map<String, DimExpr> dims = new LinkedHashMap<>();
    final Map<String, List<DimExpr>> packs = new LinkedHashMap<>();
    private final List<Object[]> deferred = new ArrayList<>();

    /** A parameter whose argument does not fit, and why. */
    record Mismatch(String param, String reason) {}

    private String param = "";
    /** Whether the last mismatch was about dimensions (as opposed to element types or kinds). */
    boolean shapeMismatch;

    /** Matches one parameter's written type against an argument's type; returns a reason when they cannot match. */
    Optional<String> match(String param, Ast.TypeExpr written, Typed arg) {
        this.param = param;
        return match(written, arg);
    }

    private Optional<String> match(Ast.TypeExpr written, Typed arg) {
        switch (written) {
            case Ast.TupleTypeExpr tu -> {
                if (!(arg.type() instanceof Type.Tuple t) || t.elements().size() != tu.elements().size()) {
                    return Optional.of("expects a tuple of " + tu.elements().size());
                }
                for (int i = 0; i < tu.elements().size(); i++) {
                    var r = match(tu.elements().get(i), Typed.of(t.elements().get(i)));
                    if (r.isPresent()) return r;
                }
                return Optional.empty();
            }
            case Ast.TensorTypeExpr tt -> {
                var special = TypeResolver.special(tt.elementType());
                if (special.isPresent()) {
                    return special.get().getClass() == arg.type().getClass() ? Optional.empty()
                            : Optional.of("expects " + special.get() + ", got " + arg.type());
                }
                var dtype = DType.parse(tt.elementType());
                if (dtype.isEmpty()) return Optional.of("has an unknown element type");
                if (!(arg.type() instanceof Tensor t)) return Optional.of("expects a tensor, got " + arg.type());
                if (!compatible(dtype.get(), t)) return Optional.of("expects element type " + dtype.get() + ", got " + t);
                return matchShape(tt.dims(), t);
            }
        }
    }

    private static boolean compatible(DType want, Tensor t) {
        if (t.dtype() == want) return true;
        if (!t.weak()) return false;
        if (t.dtype().isFloat()) return want.isFloat();
        return want.isNumeric();
    }

    private Optional<String> matchShape(List<Ast.Dim> written, Tensor t) {
        int packAt = -1;
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i) instanceof Ast.DimPack) {
                if (packAt >= 0) return Optional.of("its type has more than one shape pack");
                packAt = i;
            }
        }
        int fixed = written.size() - (packAt >= 0 ? 1 : 0);
        if (packAt < 0 ? t.rank() != fixed : t.rank() < fixed) {
            shapeMismatch = true;
            return Optional.of("expects rank " + (packAt < 0 ? "" : "at least ") + fixed + ", got " + t);
        }
        int extra = t.rank() - fixed;
        int argAxis = 0;
        for (var d : written) {
            if (d instanceof Ast.DimPack p) {
                var got = t.shape().subList(argAxis, argAxis + extra);
                var had = packs.putIfAbsent(p.name(), List.copyOf(got));
                if (had != null && !had.equals(got)) {
                    shapeMismatch = true;
                    return Optional.of("*" + p.name() + " is " + Shapes.show(had) + " from an earlier argument, but here it would be "
                            + Shapes.show(got) + (had.size() != got.size() ? ": the ranks differ" : ""));
                }
                argAxis += extra;
                continue;
            }
            DimExpr actual = t.shape().get(argAxis++);
            if (d instanceof Ast.DimVar v && !dims.containsKey(v.name())) {
                dims.put(v.name(), actual);
            } else {
                deferred.add(new Object[] {d, actual, t, param});
            }
        }
        return Optional.empty();
    }

    /** Checks the dimensions that were not plain variables, once every plain variable is bound. */
    Optional<Mismatch> finish() {
        boolean progress = true;
        var pending = new ArrayList<>(deferred);
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Object[] item = it.next();
                var written = (Ast.Dim) item[0];
                var actual = (DimExpr) item[1];
                var vars = new ArrayList<String>();
                collect(written, vars);
                var unbound = vars.stream().filter(v -> !dims.containsKey(v)).toList();
                DimExpr form = evaluate(written, unbound);
                if (form == null) return Optional.of(new Mismatch((String) item[3], "a dimension cannot be evaluated"));
                if (unbound.isEmpty()) {
                    if (!form.equals(actual)) {
                        return Optional.of(new Mismatch((String) item[3], "expects dimension " + form + " where the argument has " + actual));
                    }
                    it.remove();
                    progress = true;
                } else if (unbound.size() == 1) {
                    var solved = form.solveFor(placeholder(unbound.get(0)), actual);
                    if (solved.isPresent()) {
                        dims.put(unbound.get(0), solved.get());
                        it.remove();
                        progress = true;
                    }
                }
            }
        }
        if (!pending.isEmpty()) {
            return Optional.of(new Mismatch((String) pending.get(0)[3], "a dimension variable cannot be determined from the arguments"));
        }
        return Optional.empty();
    }

    /**
     * The callee's still-unbound variables get names of their own, so they cannot be confused with
     * the caller's variables of the same name (a callee's N is not the caller's N).
     */
    static String placeholder(String var) { return var + "__callee"; }

    private DimExpr evaluate(Ast.Dim d, List<String> unbound) {
        var env = new LinkedHashMap<>(dims);
        for (String u : unbound) env.put(u, DimExpr.var(placeholder(u)));
        try {
            return TypeResolver.dim(d, TypeResolver.bound(env, Map.of(), new dev.modelc.diag.Diagnostics(), ""), new dev.modelc.diag.Diagnostics());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static void collect(Ast.Dim d, List<String> vars) {
        switch (d) {
            case Ast.DimVar v -> vars.add(v.name());
            case Ast.DimNeg n -> collect(n.operand(), vars);
            case Ast.DimBinary b -> { collect(b.left(), vars); collect(b.right(), vars); }
            default -> { }
        }
    }
}
