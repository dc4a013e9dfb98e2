package dev.modelc.lower;

import dev.modelc.check.FnInstance;
import dev.modelc.check.Typed;
import dev.modelc.syntax.Ast;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a body being lowered sees: its local names, the checker's types and call instances for
 * its expressions, and (for a model) a way to lower a member on first use.
 */
final class Context {
    final Map<String, LValue> locals = new HashMap<>();
    final Map<Ast.Expr, Typed> types;
    final Map<Ast.Call, FnInstance> calls;
    /** Lowers a model member by name, or returns null; absent inside functions. */
    final Function<String, LValue> members;

    Context(Map<Ast.Expr, Typed> types, Map<Ast.Call, FnInstance> calls, Function<String, LValue> members) {
        this.types = types;
        this.calls = calls;
        this.members = members;
    }

    Typed typed(Ast.Expr e) {
        var t = types.get(e);
        if (t == null) throw new IllegalStateException("no type for " + e.span());
        return t;
    }

    LValue lookup(String name) {
        var v = locals.get(name);
        if (v == null && members != null) v = members.apply(name);
        return v;
    }
}
