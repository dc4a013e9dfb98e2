package dev.modelc.check;

import dev.modelc.resolve.FnRef;
import dev.modelc.syntax.Ast;
import java.util.List;
import java.util.Map;

/** A function checked generically: parameter types, result type, its lets' types, every expression's type. */
public record TypedFunction(FnRef fn, List<Typed> params, Type result, Map<Ast.Expr, Typed> types, Map<String, Type> lets) {}
