package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.check.TypedModel.Kind;
import dev.modelc.check.TypedModel.Member;
import dev.modelc.diag.Span;
import dev.modelc.resolve.ModuleScope;
import dev.modelc.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Checks one model: inputs bind its dimension variables; params and consts need fixed shapes and
 * initialisers; lets, outputs, the loss and metrics are typed in order; then the train block.
 * Warns about unused lets and params that no loss depends on.
 */
final class ModelChecker {
    private final Checker checker;
    private final Ast.ModelDecl model;
    private final Scope scope;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, DimExpr> dims = new LinkedHashMap<>();
    private Binding loss;

    ModelChecker(Checker checker, ModuleScope module, Ast.ModelDecl model) {
        this.checker = checker;
        this.model = model;
        this.scope = new Scope(module, dims, checker.diagnostics, false);
    }

    TypedModel check() {
        // Dimension variables come from the inputs, wherever they are declared.
        for (var m : model.members()) {
            if (m instanceof Ast.InputDecl in) {
                var vars = new ArrayList<String>();
                TypeResolver.collectVars(in.type(), vars, new ArrayList<>());
                for (String v : vars) if (Character.isUpperCase(v.charAt(0))) dims.putIfAbsent(v, DimExpr.var(v));
            }
        }
        Ast.TrainBlock train = null;
        for (var m : model.members()) {
            switch (m) {
                case Ast.InputDecl in -> input(in);
                case Ast.ParamDecl p -> parameter(Kind.PARAM, p.name(), p.nameSpan(), p.type(), p.init(), p);
                case Ast.ConstDecl c -> parameter(Kind.CONST, c.name(), c.nameSpan(), c.type(), c.init(), c);
                case Ast.LetDecl l -> value(Kind.LET, l.name(), l.nameSpan(), l.value(), l);
                case Ast.OutputDecl o -> value(Kind.OUTPUT, o.name(), o.nameSpan(), o.value(), o);
                case Ast.MetricDecl x -> value(Kind.METRIC, x.name(), x.nameSpan(), x.value(), x);
                case Ast.LossDecl l -> lossMember(l);
                case Ast.TrainBlock t -> {
                    if (train != null) {
                        scope.diagnostics.error(t.span(), "model-duplicate-train", "model '" + model.name()
                                + "' already has a train block at " + train.span().line() + ":" + train.span().column());
                    } else {
                        train = t;
                    }
                }
            }
        }
        var settings = train == null ? null : new TrainChecker(checker, scope, members).check(train, loss != null);
        if (train != null && loss == null) {
            scope.diagnostics.error(train.span(), "train-no-loss", "model '" + model.name() + "' has a train block but no loss");
        }
        warnings();
        return new TypedModel(model, List.copyOf(dims.keySet()), List.copyOf(members), settings, scope.types, scope.calls);
    }

    private void input(Ast.InputDecl in) {
        Type t = TypeResolver.resolve(in.type(), TypeResolver.bound(dims, Map.of(), scope.diagnostics, ""), scope.diagnostics);
        if (t instanceof Tensor tt) {
            for (var d : tt.shape()) {
                if (d.isConstant() && d.constantValue().getAsLong() <= 0) {
                    scope.diagnostics.error(in.type().span(), "model-input-shape", "input '" + in.name() + "' has a dimension of size "
                            + d + " in " + tt + "; sizes must be positive");
                    t = Type.UNKNOWN;
                    break;
                }
            }
        }
        if (t instanceof Type.Tuple || t instanceof Type.Str || t instanceof Type.Init) {
            scope.diagnostics.error(in.type().span(), "model-input-type", "input '" + in.name() + "' must be a tensor, got " + t);
            t = Type.UNKNOWN;
        }
        define(Kind.INPUT, in.name(), in.nameSpan(), Typed.of(t), null, in);
    }

    private void parameter(Kind kind, String name, Span nameSpan, Ast.TypeExpr type, Ast.Expr init, Ast.Member decl) {
        String what = kind == Kind.PARAM ? "param" : "const";
        Type t = TypeResolver.resolve(type, TypeResolver.bound(dims, Map.of(), scope.diagnostics, ""), scope.diagnostics);
        if (t instanceof Tensor tt) {
            for (var d : tt.shape()) {
                if (!d.isConstant()) {
                    scope.diagnostics.error(type.span(), "model-param-shape", what + " '" + name + "' must have a fixed shape, but "
                            + tt + " depends on " + String.join(", ", d.variables()));
                    t = Type.UNKNOWN;
                    break;
                }
                if (d.constantValue().getAsLong() <= 0) {
                    scope.diagnostics.error(type.span(), "model-param-shape", what + " '" + name + "' has a dimension of size "
                            + d + " in " + tt + "; sizes must be positive");
                    t = Type.UNKNOWN;
                    break;
                }
            }
            if (t instanceof Tensor ok && !ok.dtype().isFloat() && kind == Kind.PARAM) {
                scope.diagnostics.error(type.span(), "model-param-type", "param '" + name + "' must be floating-point to be trained, got " + ok
                        + " (use const for other tensors)");
            }
        } else if (!(t instanceof Type.Unknown)) {
            scope.diagnostics.error(type.span(), "model-param-type", what + " '" + name + "' must be a tensor, got " + t);
            t = Type.UNKNOWN;
        }
        InitSpec spec = null;
        if (init == null) {
            if (kind == Kind.PARAM) {
                scope.diagnostics.error(nameSpan, "model-param-init", "param '" + name + "' needs an initialiser, e.g. = he_normal() or = zeros()");
            }
        } else {
            spec = initialiser(init, name);
        }
        define(kind, name, nameSpan, Typed.of(t), spec, decl);
    }

    /** An initialiser call, or a number meaning constant(number). */
    private InitSpec initialiser(Ast.Expr init, String name) {
        var t = checker.exprs.check(init, scope);
        if (t.isUnknown()) return null;
        if (t.type() instanceof Type.Init && t.value() instanceof InitSpec s) return s;
        if (t.type() instanceof Tensor x && x.isScalar() && x.dtype().isNumeric() && Values.asDouble(t.value()) != null) {
            return new InitSpec("constant", Map.of("value", Values.asDouble(t.value())));
        }
        scope.diagnostics.error(init.span(), "model-param-init", "the initialiser of '" + name + "' must be an initialiser such as"
                + " he_normal() or a number, got " + t.type());
        return null;
    }

    private void value(Kind kind, String name, Span nameSpan, Ast.Expr expr, Ast.Member decl) {
        var pending = new Binding(name, bindingKind(kind), nameSpan, Typed.UNKNOWN);
        scope.defining = pending;
        var t = checker.exprs.check(expr, scope);
        scope.defining = null;
        if (!t.isUnknown()) {
            switch (kind) {
                case OUTPUT -> {
                    if (!(t.type() instanceof Tensor)) {
                        scope.diagnostics.error(expr.span(), "model-output-type", "output '" + name + "' must be a tensor, got " + t.type());
                    }
                }
                case METRIC -> {
                    if (!(t.type() instanceof Tensor x) || !x.isScalar() || !x.dtype().isNumeric()) {
                        scope.diagnostics.error(expr.span(), "model-metric-scalar", "metric '" + name + "' must be a numeric scalar, got "
                                + t.type() + " (reduce it, e.g. with mean)");
                    }
                }
                default -> { }
            }
        }
        var b = define(kind, name, nameSpan, t, null, decl);
        if (b != null) b.uses.addAll(pending.uses);
    }

    private void lossMember(Ast.LossDecl l) {
        var pending = new Binding("loss", Binding.Kind.LOSS, l.span(), Typed.UNKNOWN);
        scope.defining = pending;
        var t = checker.exprs.check(l.value(), scope);
        scope.defining = null;
        if (loss != null) {
            scope.diagnostics.error(l.span(), "model-duplicate-loss", "model '" + model.name() + "' already has a loss at "
                    + loss.span.line() + ":" + loss.span.column());
            return;
        }
        if (!t.isUnknown() && !Checker.isFloatScalar(t)) {
            scope.diagnostics.error(l.value().span(), "model-loss-scalar", "the loss must be a floating-point scalar, got " + t.type()
                    + " (reduce it, e.g. with mean)");
        }
        loss = new Binding("loss", Binding.Kind.LOSS, l.span(), t);
        loss.uses.addAll(pending.uses);
        // Later members may refer to the loss by name (e.g. grad(loss, w)), unless a binding already has it.
        scope.locals.putIfAbsent("loss", loss);
        members.add(new Member(Kind.LOSS, "loss", l, t, null));
    }

    private static Binding.Kind bindingKind(Kind k) {
        return switch (k) {
            case INPUT -> Binding.Kind.INPUT;
            case PARAM -> Binding.Kind.PARAM;
            case CONST -> Binding.Kind.CONST;
            case LET -> Binding.Kind.LET;
            case OUTPUT -> Binding.Kind.OUTPUT;
            case METRIC -> Binding.Kind.METRIC;
            case LOSS -> Binding.Kind.LOSS;
        };
    }

    private Binding define(Kind kind, String name, Span nameSpan, Typed t, InitSpec init, Ast.Member decl) {
        var prior = scope.locals.get(name);
        if (prior != null) {
            scope.diagnostics.error(nameSpan, "name-duplicate", "'" + name + "' is already defined at "
                    + prior.span.line() + ":" + prior.span.column());
            return null;
        }
        if (dims.containsKey(name)) {
            scope.diagnostics.error(nameSpan, "name-duplicate", "'" + name + "' is already a dimension variable of the inputs");
            return null;
        }
        var b = new Binding(name, bindingKind(kind), nameSpan, t);
        scope.locals.put(name, b);
        members.add(new Member(kind, name, decl, t, init));
        return b;
    }

    private void warnings() {
        for (var b : scope.locals.values()) {
            if (b.kind == Binding.Kind.LET && !b.used) {
                scope.diagnostics.warning(b.span, "unused-let", "'" + b.name + "' is never used");
            }
        }
        if (loss == null || loss.typed.isUnknown()) return;
        var reached = new HashSet<Binding>();
        var work = new ArrayDeque<Binding>(loss.uses);
        while (!work.isEmpty()) {
            var b = work.pop();
            if (reached.add(b)) work.addAll(b.uses);
        }
        for (var b : scope.locals.values()) {
            if (b.kind == Binding.Kind.PARAM && !reached.contains(b)) {
                scope.diagnostics.warning(b.span, "unused-param", "param '" + b.name + "' does not affect the loss, so its gradient is always zero");
            }
        }
    }

}
