package dev.modelc.check;

import dev.modelc.diag.Diagnostics;
import dev.modelc.resolve.ModuleScope;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.modelc.syntax.Ast;

/**
 * What an expression sees while it is checked: the module's functions, local bindings in order of
 * definition, dimension variables (symbolic integers), and where diagnostics and types go.
 * {@code generic} marks a function body checked once with its own parameter types, where scalar
 * parameters are unknown until a call binds them.
 */
final class Scope {
    final ModuleScope module;
    final Map<String, Binding> locals = new LinkedHashMap<>();
    final Map<String, DimExpr> dims;
    final Diagnostics diagnostics;
    final Map<Ast.Expr, Typed> types = new IdentityHashMap<>();
    /** The function instance each call in this scope resolved to (a generic body's calls differ per instance). */
    final Map<Ast.Call, FnInstance> calls = new IdentityHashMap<>();
    final boolean generic;
    /** The binding being defined, which records what its definition uses. */
    Binding defining;

    Scope(ModuleScope module, Map<String, DimExpr> dims, Diagnostics diagnostics, boolean generic) {
        this.module = module;
        this.dims = dims;
        this.diagnostics = diagnostics;
        this.generic = generic;
    }
}
