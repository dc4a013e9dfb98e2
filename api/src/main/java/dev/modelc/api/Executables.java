package dev.modelc.api;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.codegen.jvm.JvmProgram;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import java.util.Map;

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
                var program = jvm(graph, backend);
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
            case LLVM, CUDA -> throw unavailable(backend);
        };
    }

    /**
     * A training step entry that holds {@code initial}'s values (params and optimiser state)
     * between runs, starting from them.
     */
    static StepRunner step(Graph graph, Backend backend, Map<String, Tensor> initial) {
        StepRunner runner = switch (backend) {
            case INTERP -> new HeldTensors(compile(graph, backend), initial);
            case JVM -> new ResidentStep(graph, jvm(graph, backend), initial.keySet());
            case LLVM, CUDA -> throw unavailable(backend);
        };
        if (backend != Backend.INTERP) for (var name : runner.held()) runner.put(name, initial.get(name));
        return runner;
    }

    private static JvmProgram jvm(Graph graph, Backend backend) {
        if (!backend.available()) throw new ModelException(Backend.JVM_UNAVAILABLE);
        try {
            return JvmCompiler.compile(LoopLowering.lower(Fusion.fuse(graph)));
        } catch (dev.modelc.loops.LoopLoweringException e) {
            throw new ModelException("the jvm backend cannot compile " + graph.name() + " yet: " + e.getMessage()
                    + "; --backend interp can run it", e);
        }
    }

    private static ModelException unavailable(Backend backend) {
        return new ModelException("the " + backend + " backend is not available in this build; use interp or jvm");
    }
}
