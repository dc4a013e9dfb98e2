package dev.modelc.codegen.llvm;

import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.foreign.NativeProgram;
import dev.modelc.runtime.jvm.ProgramLayout;
import dev.modelc.runtime.jvm.ProgramRunner;
import dev.modelc.runtime.jvm.ResidentRunner;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.Map;

/**
 * A Loop IR program compiled to native code and linked into this process. Runs on off-heap
 * buffers (64-byte aligned) through the same runners as the JVM backend: {@link #run} copies
 * inputs in and results out, {@link #resident} keeps a training step's state in native memory
 * between steps. One run at a time per runner.
 */
public final class LlvmProgram {
    private final LoopProgram program;
    private final ProgramLayout layout;
    private final MemorySegment entry;
    private final Object session;
    private final ProgramRunner runner;

    LlvmProgram(LoopProgram program, ProgramLayout layout, MemorySegment entry, Object session) {
        this.program = program;
        this.layout = layout;
        this.entry = entry;
        this.session = session;
        this.runner = new ProgramRunner(layout, instance());
    }

    private NativeProgram instance() { return new NativeProgram(layout, entry, true, session); }

    /** As {@code JvmProgram.run}: a fresh tensor per result, by name. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims) { return runner.run(inputs, dims); }

    /** A runner with the inputs named in {@code resident} held in its own native memory between runs. */
    public ResidentRunner resident(Collection<String> resident) { return new ResidentRunner(layout, instance(), resident); }

    public LoopProgram program() { return program; }
}
