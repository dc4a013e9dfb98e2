package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.diag.Span;
import dev.modelc.diag.Suggestions;
import dev.modelc.resolve.FnRef;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Types expressions: literals, names, operators, indexing, calls to built-ins and functions, grad. */
final class ExprChecker {
    private final Checker checker;

    ExprChecker(Checker checker) { this.checker = checker; }

    Typed check(Expr e, Scope scope) {
        Typed t;
        try {
            t = switch (e) {
                case IntLit i -> new Typed(new Tensor(DType.I64, List.of(), true), DimExpr.constant(i.value()));
                case FloatLit f -> new Typed(new Tensor(DType.F32, List.of(), true), f.value());
                case BoolLit b -> new Typed(Tensor.scalar(DType.BOOL), b.value());
                case StringLit s -> new Typed(Type.STR, s.value());
                case Name n -> name(n, scope);
                case Attribute a -> attribute(a, scope);
                case Call c -> call(c, scope);
                case Index x -> Indexing.check(x, check(x.target(), scope), sub -> check(sub, scope), scope.diagnostics);
                case Binary b -> Operators.binary(b, check(b.left(), scope), check(b.right(), scope), scope.diagnostics);
                case Unary u -> Operators.unary(u, check(u.operand(), scope), scope.diagnostics);
                case Tuple tu -> sequence(tu.elements(), scope);
                case ListExpr l -> sequence(l.elements(), scope);
                case Grad g -> grad(g, scope);
            };
        } catch (CheckAbort abort) {
            t = Typed.UNKNOWN;
        } catch (ArithmeticException overflow) {
            scope.diagnostics.error(e.span(), "dim-overflow", "dimension arithmetic overflows 64-bit integers");
            t = Typed.UNKNOWN;
        }
        scope.types.put(e, t);
        return t;
    }

    private Typed sequence(List<Expr> elements, Scope scope) {
        var types = new ArrayList<Type>();
        var values = new ArrayList<Object>();
        boolean known = true;
        boolean pending = false;
        boolean unknown = false;
        for (var el : elements) {
            var t = check(el, scope);
            if (t.isUnknown()) unknown = true;
            types.add(t.type());
            values.add(t.value());
            if (t.value() == null) known = false;
            if (t.value() == CallArgs.PENDING) pending = true;
        }
        // An element already in error makes the whole group unknown, so nothing reports it twice.
        if (unknown) return Typed.UNKNOWN;
        Object value = pending ? CallArgs.PENDING : known ? List.copyOf(values) : null;
        return new Typed(new Type.Tuple(types), value);
    }

    private Typed name(Name n, Scope scope) {
        var b = scope.locals.get(n.name());
        if (b != null) {
            b.used = true;
            if (scope.defining != null && scope.defining != b) scope.defining.uses.add(b);
            return b.typed;
        }
        var dim = scope.dims.get(n.name());
        if (dim != null) return new Typed(new Tensor(DType.I64, List.of(), true), dim);
        var dtype = DType.parse(n.name());
        if (dtype.isPresent()) return new Typed(Type.DTYPE, dtype.get());
        if (!scope.module.lookup(n.name()).isEmpty() || Builtins.lookup(n.name()).isPresent()) {
            scope.diagnostics.error(n.span(), "name-function-value", "'" + n.name() + "' is a function; call it with (...)");
            return Typed.UNKNOWN;
        }
        checker.unknownName(n.name(), n.span(), scope, false);
        return Typed.UNKNOWN;
    }

    private Typed attribute(Attribute a, Scope scope) {
        if (a.target() instanceof Name q && !scope.locals.containsKey(q.name()) && scope.module.qualifier(q.name()) != null) {
            var fns = scope.module.qualifier(q.name()).exported(a.name());
            if (fns.isEmpty()) {
                scope.diagnostics.error(a.span(), "name-unknown", "module '" + q.name() + "' has no function '" + a.name() + "'");
            } else {
                scope.diagnostics.error(a.span(), "name-function-value", "'" + q.name() + "." + a.name() + "' is a function; call it with (...)");
            }
            return Typed.UNKNOWN;
        }
        var target = check(a.target(), scope);
        if (target.isUnknown()) return Typed.UNKNOWN;
        if (a.name().equals("T") && target.type() instanceof Tensor t) {
            if (t.rank() != 2) {
                scope.diagnostics.error(a.span(), "rank", ".T needs a 2-D tensor, got " + t + "; use transpose(x, axes)");
                return Typed.UNKNOWN;
            }
            return Typed.of(t.withShape(List.of(t.shape().get(1), t.shape().get(0))));
        }
        scope.diagnostics.error(a.span(), "attribute-unknown", target.type() + " has no attribute '" + a.name() + "'"
                + (target.type() instanceof Tensor ? " (tensors have .T)" : ""));
        return Typed.UNKNOWN;
    }

    private Typed call(Call c, Scope scope) {
        List<FnRef> fns;
        String name;
        switch (c.callee()) {
            case Name n when scope.locals.containsKey(n.name()) -> {
                scope.locals.get(n.name()).used = true;
                if (scope.locals.get(n.name()).typed.isUnknown()) return Typed.UNKNOWN;
                scope.diagnostics.error(n.span(), "call-not-function", "'" + n.name() + "' is a value of type "
                        + scope.locals.get(n.name()).typed.type() + ", not a function");
                return Typed.UNKNOWN;
            }
            case Name n -> {
                name = n.name();
                fns = scope.module.lookup(name);
                if (fns.isEmpty()) {
                    var builtin = Builtins.lookup(name);
                    if (builtin.isPresent()) return builtin(builtin.get(), c, scope);
                    checker.unknownName(name, n.span(), scope, true);
                    args(c, scope);
                    return Typed.UNKNOWN;
                }
            }
            case Attribute a when a.target() instanceof Name q && !scope.locals.containsKey(q.name())
                    && scope.module.qualifier(q.name()) != null -> {
                name = q.name() + "." + a.name();
                fns = scope.module.qualifier(q.name()).exported(a.name());
                if (fns.isEmpty()) {
                    scope.diagnostics.error(a.span(), "name-unknown", "module '" + q.name() + "' has no function '" + a.name() + "'");
                    args(c, scope);
                    return Typed.UNKNOWN;
                }
            }
            case Attribute a when Builtins.lookup(a.name()).isPresent() || !scope.module.lookup(a.name()).isEmpty() -> {
                scope.diagnostics.error(c.callee().span(), "call-method", "'" + a.name() + "' is not a method; call it as a function: "
                        + a.name() + "(x, ...) with the tensor as its first argument");
                return Typed.UNKNOWN;
            }
            default -> {
                scope.diagnostics.error(c.callee().span(), "call-not-function", "this expression is not a function and cannot be called");
                return Typed.UNKNOWN;
            }
        }
        return checker.functions.call(name, fns, c, args(c, scope), scope);
    }

    /** Checks every argument once; positional ones keep their order, named ones their names. */
    List<CheckedArg> args(Call c, Scope scope) {
        var out = new ArrayList<CheckedArg>();
        for (var a : c.args()) out.add(new CheckedArg(a.name(), a.span(), a.value(), check(a.value(), scope)));
        return out;
    }

    record CheckedArg(String name, Span span, Expr expr, Typed typed) {}

    private Typed builtin(Builtin b, Call c, Scope scope) {
        var checked = args(c, scope);
        if ((b.name().equals("concat") || b.name().equals("stack")) && checked.stream().filter(x -> x.name() == null).count() > 1) {
            scope.diagnostics.error(c.span(), "call-too-many-arguments", b.name() + ": takes the tensors as one tuple, e.g. "
                    + b.name() + "((a, b), axis=0)");
            return Typed.UNKNOWN;
        }
        var values = new LinkedHashMap<String, Typed>();
        var spans = new HashMap<String, Span>();
        if (!bind(b.name(), b.parameters().stream().map(Builtin.Parameter::name).toList(), checked, values, spans, c, scope)) {
            return Typed.UNKNOWN;
        }
        for (var p : b.parameters()) {
            if (values.containsKey(p.name())) continue;
            if (p.defaultValue() != null) values.put(p.name(), p.defaultValue());
            else if (!p.optional()) {
                scope.diagnostics.error(c.span(), "call-missing-argument", b.name() + ": missing argument '" + p.name()
                        + "' (" + b.signature() + ")");
                return Typed.UNKNOWN;
            }
        }
        for (var v : values.values()) if (v.isUnknown()) return Typed.UNKNOWN;
        try {
            return b.rule().apply(new CallArgs(b.name(), c.span(), values, spans, scope.diagnostics));
        } catch (CheckAbort abort) {
            return Typed.UNKNOWN;
        }
    }

    /**
     * Binds positional then named arguments to parameter names, reporting too many, unknown and
     * repeated arguments. Shared by built-ins and functions.
     */
    boolean bind(String callee, List<String> params, List<CheckedArg> args, Map<String, Typed> values,
                 Map<String, Span> spans, Call c, Scope scope) {
        int pos = 0;
        boolean ok = true;
        boolean namedSeen = false;
        for (var a : args) {
            if (a.name() == null) {
                if (namedSeen) {
                    scope.diagnostics.error(a.span(), "call-positional-after-named", callee + ": a positional argument cannot follow named ones");
                    ok = false;
                    continue;
                }
                if (pos >= params.size()) {
                    scope.diagnostics.error(a.span(), "call-too-many-arguments", callee + ": takes at most " + params.size()
                            + " argument" + (params.size() == 1 ? "" : "s") + ", got " + args.stream().filter(x -> x.name() == null).count());
                    return false;
                }
                values.put(params.get(pos), a.typed());
                spans.put(params.get(pos), a.span());
                pos++;
            } else {
                namedSeen = true;
                if (!params.contains(a.name())) {
                    String hint = Suggestions.closest(a.name(), params).map(s -> "; did you mean '" + s + "'?").orElse("");
                    scope.diagnostics.error(a.span(), "call-unknown-argument", callee + ": has no argument '" + a.name() + "'" + hint);
                    ok = false;
                } else if (values.containsKey(a.name())) {
                    scope.diagnostics.error(a.span(), "call-duplicate-argument", callee + ": argument '" + a.name() + "' is given twice");
                    ok = false;
                } else {
                    values.put(a.name(), a.typed());
                    spans.put(a.name(), a.span());
                }
            }
        }
        return ok;
    }

    private Typed grad(Grad g, Scope scope) {
        var of = check(g.of(), scope);
        var wrt = new ArrayList<Name>();
        if (g.wrt() instanceof Name n) wrt.add(n);
        else if (g.wrt() instanceof Ast.Tuple t && !t.elements().isEmpty() && t.elements().stream().allMatch(x -> x instanceof Name)) {
            t.elements().forEach(x -> wrt.add((Name) x));
        } else {
            scope.diagnostics.error(g.wrt().span(), "grad-target", "grad: the second argument must be a name or a tuple of names");
            return Typed.UNKNOWN;
        }
        var types = new ArrayList<Type>();
        for (var n : wrt) {
            var t = check(n, scope);
            if (t.isUnknown()) return Typed.UNKNOWN;
            if (!(t.type() instanceof Tensor tt) || !tt.dtype().isFloat() || tt.weak()) {
                scope.diagnostics.error(n.span(), "grad-target", "grad: can only differentiate with respect to a floating-point tensor, '"
                        + n.name() + "' is " + t.type());
                return Typed.UNKNOWN;
            }
            types.add(tt);
        }
        if (of.isUnknown()) return Typed.UNKNOWN;
        if (!(of.type() instanceof Tensor ot) || !ot.isScalar() || !ot.dtype().isFloat()) {
            scope.diagnostics.error(g.of().span(), "grad-scalar", "grad: the differentiated expression must be a floating-point scalar, got "
                    + of.type() + " (reduce it first, e.g. with sum or mean)");
            return Typed.UNKNOWN;
        }
        return Typed.of(types.size() == 1 && g.wrt() instanceof Name ? types.get(0) : new Type.Tuple(types));
    }
}
