package dev.modelc.resolve;

import dev.modelc.syntax.Ast;

/** A function together with the module whose names its body sees. */
public record FnRef(Ast.FnDecl decl, ModuleScope home) {
    public String qualifiedName() { return home.module().name() + "." + decl.name(); }
}
