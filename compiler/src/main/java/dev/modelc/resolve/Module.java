package dev.modelc.resolve;

import dev.modelc.diag.Source;
import dev.modelc.syntax.Ast;
import java.nio.file.Path;

/** One parsed source file: a user file ({@code dir} set) or a standard-library module ({@code dir} null). */
public record Module(String name, Source source, Ast.SourceFile ast, Path dir) {
    public boolean isStd() { return dir == null && name.startsWith("std."); }
}
