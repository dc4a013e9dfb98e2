package dev.modelc.check;

import dev.modelc.resolve.FnRef;
import dev.modelc.syntax.Ast;
import java.util.List;
import java.util.Map;

/**
 * A function checked for one set of argument types: its dimension variables and shape packs as
 * bound at the call, the argument types, the type of every expression in its body, the instance
 * each call in its body resolved to, and its result.
 * Lowering inlines exactly this.
 */
public record FnInstance(FnRef fn, Map<String, DimExpr> dims, Map<String, List<DimExpr>> packs,
                         List<Typed> args, Map<Ast.Expr, Typed> types, Map<Ast.Call, FnInstance> calls, Typed result) {}
