package dev.modelc.api;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.codegen.llvm.LlvmCompiler;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.ResidentProgram;
import java.util.Collection;
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
            case JVM, LLVM, CUDA -> withResidentParams(graph, loops(graph, backend));
        };
    }

    /**
     * A compiled entry that keeps the params and consts in its own storage (Java arrays or native
     * memory) and copies one in again only when the caller passes another tensor for it (tensors
     * are immutable, so the same object is the same value): an inference call copies only its
     * inputs, not a megabyte of weights.
     */
    private static Executable withResidentParams(Graph graph, LoopBackendProgram program) {
        var held = new java.util.HashSet<String>();
        for (var n : graph.inputs()) {
            if (n.op() instanceof dev.modelc.graph.Op.Input in && (in.role() == dev.modelc.graph.Op.Role.PARAM
                    || in.role() == dev.modelc.graph.Op.Role.CONST) && n.type().size().constantValue().isPresent()) {
                held.add(in.name());
            }
        }
        ResidentProgram runner = program.resident(held);
        var lastPut = new java.util.HashMap<String, Tensor>();
        return inputs -> {
            Map<String, Long> dims;
            try {
                // the interpreter's checks, so every backend rejects a bad input with the same words
                dims = Interpreter.bindInputs(graph, inputs);
            } catch (InterpreterException e) {
                throw new ModelException(graph.name() + ": " + e.getMessage(), e);
            }
            synchronized (runner) {
                for (String name : runner.residents()) {
                    Tensor t = inputs.get(name);
                    if (t != lastPut.get(name)) {
                        runner.put(name, t);
                        lastPut.put(name, t);
                    }
                }
                runner.run(inputs, dims);
                return runner.results();
            }
        };
    }

    /**
     * A training step entry that holds {@code initial}'s values (params and optimiser state)
     * between runs, starting from them.
     */
    static StepRunner step(Graph graph, Backend backend, Map<String, Tensor> initial) {
        StepRunner runner = switch (backend) {
            case INTERP -> new HeldTensors(compile(graph, backend), initial);
            case JVM, LLVM, CUDA -> new ResidentStep(graph, loops(graph, backend), initial.keySet());
        };
        if (backend != Backend.INTERP) for (var name : runner.held()) runner.put(name, initial.get(name));
        return runner;
    }

    /**
     * A program compiled from Loop IR on a backend that takes it, as the runners it makes: each
     * keeps the named inputs in its own storage (Java arrays, native memory or GPU memory).
     */
    interface LoopBackendProgram {
        ResidentProgram resident(Collection<String> resident);
    }

    private static LoopBackendProgram loops(Graph graph, Backend backend) {
        if (!backend.available()) {
            throw new ModelException(switch (backend) {
                case JVM -> Backend.JVM_UNAVAILABLE;
                case CUDA -> CudaPrograms.unavailable();
                default -> backend + " is not available on this machine";
            });
        }
        try {
            if (backend == Backend.CUDA) return CudaPrograms.compile(graph);
            var program = LoopLowering.lower(Fusion.fuse(graph));
            return backend == Backend.LLVM ? LlvmCompiler.compile(program)::resident : JvmCompiler.compile(program)::resident;
        } catch (dev.modelc.loops.LoopLoweringException e) {
            throw new ModelException("the " + backend + " backend cannot compile " + graph.name() + " yet: " + e.getMessage()
                    + "; --backend interp can run it", e);
        }
    }
}
