package dev.modelc.cli;

import java.util.Locale;

/** The stages whose IR {@code modelc ir --stage} can print, in pipeline order. */
enum Stage {
    AST, TYPED, GRAPH, GRAD, OPT, FUSED, LOOPS, JVM, LLVM, PTX;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
