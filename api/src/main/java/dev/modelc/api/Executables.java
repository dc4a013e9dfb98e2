package dev.modelc.api;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopLowering;

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
            case JVM -> {
                if (!backend.available()) throw new ModelException(Backend.JVM_UNAVAILABLE);
                dev.modelc.codegen.jvm.JvmProgram program;
                try {
                    program = JvmCompiler.compile(LoopLowering.lower(Fusion.fuse(graph)));
                } catch (dev.modelc.loops.LoopLoweringException e) {
                    throw new ModelException("the jvm backend cannot compile " + graph.name() + " yet: " + e.getMessage()
                            + "; --backend interp can run it", e);
                }
                yield inputs -> {
                    java.util.Map<String, Long> dims;
                    try {
                        // the interpreter's checks, so every backend rejects a bad input with the same words
                        dims = Interpreter.bindInputs(graph, inputs);
                    } catch (InterpreterException e) {
                        throw new ModelException(graph.name() + ": " + e.getMessage(), e);
                    }
                    return program.run(inputs, dims);
                };
            }
            case LLVM, CUDA -> throw new ModelException("the " + backend + " backend is not available in this build; use interp or jvm");
        };
    }
}
