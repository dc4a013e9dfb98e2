package dev.modelc.api;

import dev.modelc.graph.Graph;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;

/** Turns a simplified entry graph into something that runs on a backend. */
final class Executables {
    private Executables() {}

    static Executable compile(Graph graph, Backend backend) {
        return switch (backend) {
            case INTERP -> inputs -> {
                try {
                    return Interpreter.run(graph, inputs);
                } catch (InterpreterException e) {
                    throw new ModelException(graph.name() + ": " + e.getMessage(), e);
                }
            };
            case JVM, LLVM, CUDA -> throw new ModelException("the " + backend + " backend is not available in this build; use interp");
        };
    }
}
