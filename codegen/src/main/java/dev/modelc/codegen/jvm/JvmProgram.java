package dev.modelc.codegen.jvm;

import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import dev.modelc.runtime.jvm.ProgramRunner;
import dev.modelc.runtime.jvm.ResidentRunner;
import java.util.Map;

/**
 * A Loop IR program compiled to a loaded JVM class. Buffers are Java arrays ({@code float[]},
 * {@code double[]}, {@code int[]}, {@code long[]}, and {@code boolean[]} for bool), allocated on
 * the first run for a set of dimension values and reused while those do not change; inputs are
 * copied in and results copied out into fresh tensors (the runtime's {@link ProgramRunner}, which
 * also runs the same classes from ahead-of-time jars). One run at a time.
 */
public final class JvmProgram {
    private final LoopProgram program;
    private final byte[] classBytes;
    private final java.util.function.Supplier<CompiledProgram> instances;
    private final ProgramRunner runner;

    JvmProgram(LoopProgram program, byte[] classBytes, java.util.function.Supplier<CompiledProgram> instances) {
        this.program = program;
        this.classBytes = classBytes;
        this.instances = instances;
        this.runner = new ProgramRunner(JvmCompiler.layout(program), instances.get());
    }

    /**
     * A runner over a new instance of the class that keeps the inputs named in {@code resident}
     * in its own arrays between runs (a training step's params and optimiser state); independent
     * of {@link #run}.
     */
    public ResidentRunner resident(java.util.Collection<String> resident) {
        return new ResidentRunner(runner.layout(), instances.get(), resident);
    }

    /**
     * Runs the program on {@code inputs} (keyed as {@link LoopProgram#inputs()}; only dtypes and
     * element counts are checked) with its dimension variables bound by {@code dims}.
     *
     * @return a fresh tensor per result, by name
     * @throws IllegalArgumentException for a missing input or dimension, a dtype or size
     *     mismatch, or a buffer too large for int indices
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims) { return runner.run(inputs, dims); }

    /** The generated class file, for writing into an ahead-of-time jar. */
    public byte[] classBytes() { return classBytes.clone(); }

    public LoopProgram program() { return program; }
}
