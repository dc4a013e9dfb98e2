package dev.modelc.check;

import dev.modelc.check.ExprChecker.CheckedArg;
import dev.modelc.check.Type.Tensor;
import dev.modelc.diag.Diagnostic;
import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Span;
import dev.modelc.resolve.FnRef;
import dev.modelc.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Functions: each is checked once generically (its dimension variables as symbols, its scalar
 * parameters unknown) and again at every distinct set of argument types, which is what lowering
 * inlines. Calls pick among overloads by parameter types. Recursion is an error.
 */
final class FunctionChecker {
    private final Checker checker;
    private final Map<Ast.FnDecl, Boolean> genericHadErrors = new IdentityHashMap<>();
    private final Map<Ast.FnDecl, Integer> ids = new IdentityHashMap<>();
    private final Map<InstanceKey, FnInstance> instances = new HashMap<>();
    private final ArrayDeque<Ast.FnDecl> stack = new ArrayDeque<>();
    final Map<Ast.Call, FnInstance> callSites = new IdentityHashMap<>();
    final Map<Ast.FnDecl, TypedFunction> generic = new IdentityHashMap<>();

    private record InstanceKey(int fn, List<Typed> args) {}

    FunctionChecker(Checker checker) { this.checker = checker; }

    // ---- generic check ----

    TypedFunction checkGeneric(FnRef fn, Diagnostics d) {
        var done = generic.get(fn.decl());
        if (done != null) return done;
        var decl = fn.decl();
        var vars = new ArrayList<String>();
        var packNames = new ArrayList<String>();
        for (var p : decl.params()) TypeResolver.collectVars(p.type(), vars, packNames);
        var dims = new LinkedHashMap<String, DimExpr>();
        for (String v : vars) if (Character.isUpperCase(v.charAt(0))) dims.put(v, DimExpr.var(v));
        // A shape pack is checked as if it held two dimensions; every call checks it again exactly.
        var packs = new LinkedHashMap<String, List<DimExpr>>();
        for (String p : packNames) packs.put(p, List.of(DimExpr.var(p + "__1"), DimExpr.var(p + "__2")));
        int errorsBefore = d.errorCount();
        var scope = new Scope(fn.home(), dims, d, true);
        var params = new ArrayList<Typed>();
        var seen = new HashMap<String, Span>();
        for (var p : decl.params()) {
            if (seen.containsKey(p.name())) {
                d.error(p.span(), "name-duplicate", "parameter '" + p.name() + "' is already defined at " + at(seen.get(p.name())));
            }
            seen.put(p.name(), p.span());
            Type t = TypeResolver.resolve(p.type(), TypeResolver.bound(dims, packs, d, " in this signature"), d);
            Object value = isStatic(t) ? CallArgs.PENDING : null;
            var typed = new Typed(t, value);
            params.add(typed);
            scope.locals.put(p.name(), new Binding(p.name(), Binding.Kind.FN_PARAM, p.span(), typed));
            if (p.defaultValue() != null) checkDefault(fn, p, t, d);
        }
        Type declared = null;
        if (decl.result() != null) {
            var resultVars = new ArrayList<String>();
            TypeResolver.collectVars(decl.result(), resultVars, new ArrayList<>());
            declared = TypeResolver.resolve(decl.result(), TypeResolver.bound(dims, packs, d,
                    ": the result type may only use dimension variables of the parameters"), d);
        }
        stack.push(decl);
        Typed body;
        try {
            body = body(decl, scope, true);
        } finally {
            stack.pop();
        }
        if (declared != null && !body.isUnknown() && !(declared instanceof Type.Unknown) && !fits(body.type(), declared)) {
            d.error(returnSpan(decl), "type-return", "function '" + decl.name() + "' returns " + body.type()
                    + " but its declared result is " + declared);
        }
        genericHadErrors.put(decl, d.errorCount() > errorsBefore);
        var result = new TypedFunction(fn, params, declared != null ? declared : body.type(), scope.types, lets(scope));
        generic.put(decl, result);
        return result;
    }

    private static Map<String, Type> lets(Scope scope) {
        var out = new LinkedHashMap<String, Type>();
        for (var b : scope.locals.values()) if (b.kind == Binding.Kind.LET) out.put(b.name, b.typed.type());
        return out;
    }

    private void checkDefault(FnRef fn, Ast.Param p, Type t, Diagnostics d) {
        var scope = new Scope(fn.home(), Map.of(), d, true);
        var v = checker.exprs.check(p.defaultValue(), scope);
        if (v.isUnknown() || t instanceof Type.Unknown) return;
        var u = new Unifier();
        var why = u.match(p.name(), p.type(), v);
        if (why.isPresent()) {
            d.error(p.defaultValue().span(), "type-default", "default value of '" + p.name() + "' is " + v.type()
                    + " but the parameter is " + t);
        }
    }

    private static boolean isStatic(Type t) {
        return switch (t) {
            case Tensor x -> x.isScalar();
            case Type.Str s -> true;
            case Type.Init i -> true;
            default -> false;
        };
    }

    /** Types lets then the single return; the body must end with exactly one return. */
    private Typed body(Ast.FnDecl decl, Scope scope, boolean warnUnused) {
        Typed result = Typed.UNKNOWN;
        boolean returned = false;
        for (var s : decl.body()) {
            if (returned) {
                scope.diagnostics.error(s.span(), "fn-unreachable", "statement after return in function '" + decl.name() + "'");
                break;
            }
            switch (s) {
                case Ast.Let l -> {
                    var prior = scope.locals.get(l.name());
                    var b = new Binding(l.name(), Binding.Kind.LET, l.nameSpan(), Typed.UNKNOWN);
                    scope.defining = b;
                    var t = checker.exprs.check(l.value(), scope);
                    scope.defining = null;
                    if (prior != null) {
                        scope.diagnostics.error(l.nameSpan(), "name-duplicate", "'" + l.name() + "' is already defined at "
                                + at(prior.span) + "; names are immutable");
                        continue;
                    }
                    var bound = new Binding(l.name(), Binding.Kind.LET, l.nameSpan(), t);
                    bound.uses.addAll(b.uses);
                    scope.locals.put(l.name(), bound);
                }
                case Ast.Return r -> {
                    result = checker.exprs.check(r.value(), scope);
                    returned = true;
                }
            }
        }
        if (!returned) {
            scope.diagnostics.error(decl.nameSpan(), "fn-no-return", "function '" + decl.name() + "' has no return");
        }
        if (warnUnused && returned) {
            for (var b : scope.locals.values()) {
                if (b.kind == Binding.Kind.LET && !b.used) {
                    scope.diagnostics.warning(b.span, "unused-let", "'" + b.name + "' is never used");
                }
            }
        }
        return result;
    }

    private static Span returnSpan(Ast.FnDecl decl) {
        for (var s : decl.body()) if (s instanceof Ast.Return r) return r.value().span();
        return decl.nameSpan();
    }

    /** Whether a body's type fits the declared one (weak literals adapt). */
    static boolean fits(Type actual, Type declared) {
        if (actual instanceof Tensor a && declared instanceof Tensor d) {
            if (!a.shape().equals(d.shape())) return false;
            return a.dtype() == d.dtype() || (a.weak() && (a.dtype().isFloat() ? d.dtype().isFloat() : d.dtype().isNumeric()));
        }
        if (actual instanceof Type.Tuple a && declared instanceof Type.Tuple d) {
            if (a.elements().size() != d.elements().size()) return false;
            for (int i = 0; i < a.elements().size(); i++) if (!fits(a.elements().get(i), d.elements().get(i))) return false;
            return true;
        }
        return actual.equals(declared) || actual instanceof Type.Unknown;
    }

    // ---- calls ----

    Typed call(String name, List<FnRef> overloads, Ast.Call c, List<CheckedArg> args, Scope scope) {
        for (var a : args) if (a.typed().isUnknown()) return Typed.UNKNOWN;
        var attempts = new ArrayList<Attempt>();
        for (var fn : overloads) {
            var attempt = bind(name, fn, c, args, scope);
            if (attempt.error == null) return instantiate(name, fn, attempt, c, scope);
            attempts.add(attempt);
        }
        if (attempts.size() == 1) {
            var a = attempts.get(0);
            scope.diagnostics.report(new Diagnostic(a.errorSpan, dev.modelc.diag.Severity.ERROR, a.code, a.error,
                    List.of(new Diagnostic.Note(a.fn.decl().nameSpan(), signature(a.fn.decl())))));
            return Typed.UNKNOWN;
        }
        var given = String.join(", ", args.stream().map(a -> (a.name() == null ? "" : a.name() + "=") + a.typed().type()).toList());
        var diag = Diagnostic.error(c.span(), "call-no-overload", "no version of '" + name + "' takes (" + given + ")");
        for (var a : attempts) {
            String why = a.error.startsWith(name + ": ") ? a.error.substring(name.length() + 2) : a.error;
            diag = diag.withNote(a.fn.decl().nameSpan(), signature(a.fn.decl()) + ": " + why);
        }
        scope.diagnostics.report(diag);
        return Typed.UNKNOWN;
    }

    private static final class Attempt {
        final FnRef fn;
        final Map<String, Typed> values = new LinkedHashMap<>();
        final Unifier unifier = new Unifier();
        String error;
        String code;
        Span errorSpan;

        Attempt(FnRef fn) { this.fn = fn; }

        Attempt fail(Span at, String code, String message) {
            this.errorSpan = at;
            this.code = code;
            this.error = message;
            return this;
        }
    }

    private Attempt bind(String name, FnRef fn, Ast.Call c, List<CheckedArg> args, Scope scope) {
        var attempt = new Attempt(fn);
        var decl = fn.decl();
        var params = decl.params().stream().map(Ast.Param::name).toList();
        var spans = new HashMap<String, Span>();
        var quiet = new Diagnostics();
        var scratch = new Scope(scope.module, scope.dims, quiet, scope.generic);
        if (!checker.exprs.bind(name, params, args, attempt.values, spans, c, scratch)) {
            var first = quiet.sorted().get(0);
            return attempt.fail(first.span(), first.code(), first.message());
        }
        for (var p : decl.params()) {
            Typed v = attempt.values.get(p.name());
            if (v == null) {
                if (p.defaultValue() == null) {
                    return attempt.fail(c.span(), "call-missing-argument", name + ": missing argument '" + p.name() + "'");
                }
                v = checker.exprs.check(p.defaultValue(), new Scope(fn.home(), Map.of(), new Diagnostics(), true));
                if (v.isUnknown()) return attempt.fail(c.span(), "type-default", name + ": bad default for '" + p.name() + "'");
                attempt.values.put(p.name(), v);
            }
            var why = attempt.unifier.match(p.name(), p.type(), v);
            if (why.isPresent()) {
                return attempt.fail(spans.getOrDefault(p.name(), c.span()),
                        attempt.unifier.shapeMismatch ? "call-argument-shape" : "call-argument-type", name + ": argument '"
                        + p.name() + "' is " + v.type() + " but the parameter is " + written(p.type()) + " (" + why.get() + ")");
            }
        }
        var mismatch = attempt.unifier.finish();
        if (mismatch.isPresent()) {
            var m = mismatch.get();
            return attempt.fail(spans.getOrDefault(m.param(), c.span()), "call-argument-shape", name + ": argument '" + m.param()
                    + "' is " + attempt.values.get(m.param()).type() + " but the parameter is "
                    + written(paramNamed(decl, m.param()).type()) + " (" + m.reason() + bindings(attempt.unifier) + ")");
        }
        return attempt;
    }

    private static Ast.Param paramNamed(Ast.FnDecl decl, String name) {
        return decl.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static String bindings(Unifier u) {
        var parts = new ArrayList<String>();
        u.dims.forEach((k, v) -> { if (!v.equals(DimExpr.var(k))) parts.add(k + " = " + v); });
        u.packs.forEach((k, v) -> parts.add("*" + k + " = " + Shapes.show(v)));
        return parts.isEmpty() ? "" : ", with " + String.join(", ", parts);
    }

    private Typed instantiate(String name, FnRef fn, Attempt attempt, Ast.Call c, Scope caller) {
        var decl = fn.decl();
        if (stack.contains(decl)) {
            var chain = new ArrayList<String>();
            var frames = new ArrayList<>(stack);
            java.util.Collections.reverse(frames);
            for (var f : frames.subList(frames.indexOf(decl), frames.size())) chain.add(f.name());
            chain.add(decl.name());
            caller.diagnostics.error(c.span(), "fn-recursion", "recursion is not allowed: " + String.join(" -> ", chain));
            return Typed.UNKNOWN;
        }
        var dims = attempt.unifier.dims;
        var packs = attempt.unifier.packs;
        var quiet = new Diagnostics();
        var args = new ArrayList<Typed>();
        var scope = new Scope(fn.home(), new LinkedHashMap<>(dims), quiet, false);
        for (var p : decl.params()) {
            Typed v = attempt.values.get(p.name());
            Type t = TypeResolver.resolve(p.type(), TypeResolver.bound(dims, packs, quiet, ""), quiet);
            var typed = new Typed(t, v.value());
            args.add(typed);
            scope.locals.put(p.name(), new Binding(p.name(), Binding.Kind.FN_PARAM, p.span(), typed));
        }
        var key = new InstanceKey(ids.computeIfAbsent(decl, k -> ids.size()), args);
        var cached = instances.get(key);
        if (cached != null) {
            callSites.put(c, cached);
            caller.calls.put(c, cached);
            return cached.result();
        }
        Type declared = decl.result() == null ? null
                : TypeResolver.resolve(decl.result(), TypeResolver.bound(dims, packs, quiet, ""), quiet);
        stack.push(decl);
        Typed body;
        try {
            body = body(decl, scope, false);
        } finally {
            stack.pop();
        }
        if (quiet.hasErrors() && !Boolean.TRUE.equals(genericHadErrors.get(decl)) && !fn.home().module().isStd()) {
            for (var d : quiet.sorted()) {
                if (d.isError()) caller.diagnostics.report(d.withNote(c.span(), "in this call of '" + name + "'"));
            }
        } else if (quiet.hasErrors() && fn.home().module().isStd()) {
            // A standard-library body failing only for these arguments: report it at the call.
            var first = quiet.sorted().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
            caller.diagnostics.error(c.span(), first.code(), name + ": " + first.message());
        }
        Typed result;
        if (quiet.hasErrors() || body.isUnknown()) result = Typed.UNKNOWN;
        else if (declared != null) result = new Typed(declared, body.value());
        else result = body;
        var instance = new FnInstance(fn, Map.copyOf(dims), Map.copyOf(packs), List.copyOf(args), scope.types, scope.calls, result);
        instances.put(key, instance);
        callSites.put(c, instance);
        caller.calls.put(c, instance);
        return result;
    }

    static String signature(Ast.FnDecl decl) {
        var params = decl.params().stream().map(p -> p.name() + ": " + written(p.type())
                + (p.defaultValue() == null ? "" : " = " + dev.modelc.syntax.AstPrinter.exprText(p.defaultValue()))).toList();
        return "fn " + decl.name() + "(" + String.join(", ", params) + ")" + (decl.result() == null ? "" : " -> " + written(decl.result()));
    }

    static String written(Ast.TypeExpr t) { return dev.modelc.syntax.AstPrinter.typeText(t); }

    private static String at(Span s) { return s.line() + ":" + s.column(); }

    Optional<FnInstance> instanceAt(Ast.Call c) { return Optional.ofNullable(callSites.get(c)); }
}
