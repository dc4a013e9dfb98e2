package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.check.TypedModel.Kind;
import dev.modelc.check.TypedModel.Member;
import dev.modelc.check.TypedModel.OptimizerChoice;
import dev.modelc.check.TypedModel.TrainSettings;
import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Suggestions;
import dev.modelc.resolve.FnRef;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.AstPrinter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a train block: known settings with sensible values, and an optimiser that follows the
 * convention of docs/language.md — {@code fn opt(w: f32[*S], g: f32[*S], t: f32, state…: f32[*S],
 * hyper…) -> (f32[*S], state…)} — checked against the shape of every param.
 */
final class TrainChecker {
    static final List<String> SETTINGS = List.of("optimizer", "batch", "epochs", "seed", "shuffle");

    private final Checker checker;
    private final Scope scope;
    private final List<Member> members;
    private final Diagnostics d;

    TrainChecker(Checker checker, Scope scope, List<Member> members) {
        this.checker = checker;
        this.scope = scope;
        this.members = members;
        this.d = scope.diagnostics;
    }

    TrainSettings check(Ast.TrainBlock block, boolean hasLoss) {
        OptimizerChoice optimizer = null;
        long batch = 32, epochs = 1, seed = 0;
        boolean shuffle = true;
        var seen = new LinkedHashMap<String, Ast.Setting>();
        for (var s : block.settings()) {
            if (seen.containsKey(s.name())) {
                d.error(s.span(), "train-duplicate", "setting '" + s.name() + "' is given twice");
                continue;
            }
            seen.put(s.name(), s);
            switch (s.name()) {
                case "optimizer" -> optimizer = optimizer(s.value());
                case "batch" -> batch = positive(s, 1, batch);
                case "epochs" -> epochs = positive(s, 0, epochs);
                case "seed" -> seed = integer(s, seed);
                case "shuffle" -> shuffle = bool(s);
                default -> {
                    String hint = Suggestions.closest(s.name(), SETTINGS).map(x -> "; did you mean '" + x + "'?").orElse("");
                    d.error(s.span(), "train-unknown-setting", "unknown train setting '" + s.name() + "' (known: "
                            + String.join(", ", SETTINGS) + ")" + hint);
                }
            }
        }
        if (!seen.containsKey("optimizer")) {
            d.error(block.span(), "train-no-optimizer", "the train block needs an optimizer, e.g. optimizer = adam(lr=1e-3) (from std.optim)");
        }
        return new TrainSettings(optimizer, batch, epochs, seed, shuffle);
    }

    /** The setting's integer value, or {@code fallback} after reporting why it is not one. */
    private long integer(Ast.Setting s, long fallback) {
        var t = checker.exprs.check(s.value(), scope);
        Long v = t.type() instanceof Tensor x && x.dtype().isInt() ? Values.asLong(t.value()) : null;
        if (v == null) {
            if (!t.isUnknown()) {
                d.error(s.value().span(), "train-setting-value", "'" + s.name() + "' must be an integer constant, got "
                        + AstPrinter.exprText(s.value()));
            }
            return fallback;
        }
        return v;
    }

    private long positive(Ast.Setting s, long min, long fallback) {
        int before = d.errorCount();
        long v = integer(s, fallback);
        if (d.errorCount() == before && v < min) {
            d.error(s.value().span(), "train-setting-value", "'" + s.name() + "' must be at least " + min + ", got " + v);
            return fallback;
        }
        return v;
    }

    private boolean bool(Ast.Setting s) {
        var t = checker.exprs.check(s.value(), scope);
        if (t.value() instanceof Boolean b) return b;
        if (!t.isUnknown()) {
            d.error(s.value().span(), "train-setting-value", "'" + s.name() + "' must be true or false, got " + AstPrinter.exprText(s.value()));
        }
        return true;
    }

    private OptimizerChoice optimizer(Ast.Expr e) {
        if (!(e instanceof Ast.Call call)) {
            d.error(e.span(), "train-optimizer", "optimizer must be a call such as adam(lr=1e-3)");
            return null;
        }
        List<FnRef> fns;
        String name;
        if (call.callee() instanceof Ast.Name n) {
            name = n.name();
            fns = scope.module.lookup(name);
        } else if (call.callee() instanceof Ast.Attribute a && a.target() instanceof Ast.Name q && scope.module.qualifier(q.name()) != null) {
            name = q.name() + "." + a.name();
            fns = scope.module.qualifier(q.name()).exported(a.name());
        } else {
            d.error(call.callee().span(), "train-optimizer", "optimizer must name an optimiser function");
            return null;
        }
        if (fns.isEmpty()) {
            checker.unknownName(name, call.callee().span(), scope, true);
            return null;
        }
        if (fns.size() > 1) {
            d.error(call.callee().span(), "train-optimizer", "optimiser '" + name + "' is overloaded; an optimiser must be a single function");
            return null;
        }
        var fn = fns.get(0);
        var shape = shapeOf(fn.decl());
        if (shape == null) {
            d.error(call.callee().span(), "train-optimizer", "'" + name + "' is not an optimiser: it must be written as "
                    + "fn " + name + "(w: f32[*S], g: f32[*S], t: f32, state...: f32[*S], hyperparameters...) -> (f32[*S], ...)");
            return null;
        }
        var hyperParams = fn.decl().params().subList(3 + shape.size(), fn.decl().params().size());
        var hyper = new LinkedHashMap<String, Object>();
        var given = new LinkedHashMap<String, Typed>();
        boolean ok = true;
        for (var a : call.args()) {
            var t = checker.exprs.check(a.value(), scope);
            if (a.name() == null) {
                d.error(a.span(), "train-optimizer", name + ": set hyperparameters by name, e.g. lr=1e-3");
                ok = false;
                continue;
            }
            var p = hyperParams.stream().filter(x -> x.name().equals(a.name())).findFirst();
            if (p.isEmpty()) {
                var names = hyperParams.stream().map(Ast.Param::name).toList();
                String hint = Suggestions.closest(a.name(), names).map(x -> "; did you mean '" + x + "'?").orElse("");
                d.error(a.span(), "call-unknown-argument", name + ": has no hyperparameter '" + a.name() + "' (it has "
                        + String.join(", ", names) + ")" + hint);
                ok = false;
                continue;
            }
            if (given.put(a.name(), t) != null) {
                d.error(a.span(), "call-duplicate-argument", name + ": argument '" + a.name() + "' is given twice");
                ok = false;
            }
            if (!t.isUnknown() && (t.value() == null || t.value() instanceof DimExpr de && !de.isConstant())) {
                d.error(a.value().span(), "static-required", name + ": hyperparameter '" + a.name() + "' must be a constant");
                ok = false;
            } else if (!t.isUnknown() && new Unifier().match(a.name(), p.get().type(), t).isPresent()) {
                d.error(a.value().span(), "train-hyperparameter-type", name + ": hyperparameter '" + a.name() + "' must be "
                        + FunctionChecker.written(p.get().type()) + ", got " + t.type() + " " + AstPrinter.exprText(a.value()));
                ok = false;
            }
        }
        for (var p : hyperParams) {
            if (!given.containsKey(p.name()) && p.defaultValue() == null) {
                d.error(call.span(), "call-missing-argument", name + ": missing hyperparameter '" + p.name() + "'");
                ok = false;
            }
        }
        if (!ok) return null;
        for (var p : hyperParams) {
            var v = given.get(p.name());
            hyper.put(p.name(), v == null ? checker.exprs.check(p.defaultValue(), new Scope(fn.home(), Map.of(), new Diagnostics(), true)).value() : v.value());
        }
        // Type-check the update against every param's shape, as the training step will run it.
        var updates = new LinkedHashMap<String, FnInstance>();
        for (var m : members) {
            if (m.kind() != Kind.PARAM || !(m.typed().type() instanceof Tensor t)) continue;
            var checked = new ArrayList<ExprChecker.CheckedArg>();
            var decl = fn.decl();
            var strongT = new Typed(Tensor.scalar(t.dtype()), null);
            for (int i = 0; i < 3 + shape.size(); i++) {
                var p = decl.params().get(i);
                checked.add(new ExprChecker.CheckedArg(p.name(), call.span(), call, i == 2 ? strongT : Typed.of(t)));
            }
            for (var p : hyperParams) {
                if (given.containsKey(p.name())) {
                    checked.add(new ExprChecker.CheckedArg(p.name(), call.span(), call, given.get(p.name())));
                }
            }
            var result = checker.functions.call(name, fns, call, checked, scope);
            if (result.isUnknown()) break;
            updates.put(m.name(), scope.calls.get(call));
            var expected = new ArrayList<Type>();
            for (int i = 0; i <= shape.size(); i++) expected.add(t);
            // A stateless optimiser may return the new parameter alone instead of a one-element tuple.
            boolean bare = shape.isEmpty() && FunctionChecker.fits(result.type(), t);
            if (!bare && !FunctionChecker.fits(result.type(), new Type.Tuple(expected))) {
                d.error(call.span(), "train-optimizer", name + " returns " + result.type() + " for param '" + m.name()
                        + "' but an optimiser must return the new parameter and its " + shape.size() + " state tensors: "
                        + new Type.Tuple(expected));
                break;
            }
        }
        return new OptimizerChoice(fn, List.copyOf(shape), java.util.Collections.unmodifiableMap(hyper),
                java.util.Collections.unmodifiableMap(updates));
    }

    /** The names of the state parameters when {@code decl} follows the optimiser convention, else null. */
    static List<String> shapeOf(Ast.FnDecl decl) {
        var ps = decl.params();
        if (ps.size() < 3 || !isPackTensor(ps.get(0).type()) || !isPackTensor(ps.get(1).type())) return null;
        if (!(ps.get(2).type() instanceof Ast.TensorTypeExpr t) || !t.dims().isEmpty() || !Set.of("f32", "f64").contains(t.elementType())) return null;
        var states = new ArrayList<String>();
        for (int i = 3; i < ps.size() && isPackTensor(ps.get(i).type()) && ps.get(i).defaultValue() == null; i++) {
            states.add(ps.get(i).name());
        }
        for (int i = 3 + states.size(); i < ps.size(); i++) {
            if (!(ps.get(i).type() instanceof Ast.TensorTypeExpr h) || !h.dims().isEmpty()) return null;
        }
        return states;
    }

    private static boolean isPackTensor(Ast.TypeExpr t) {
        return t instanceof Ast.TensorTypeExpr tt && tt.dims().size() == 1 && tt.dims().get(0) instanceof Ast.DimPack;
    }
}
