package dev.modelc.codegen.jvm;

import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.util.Map;

/**
 * A Loop IR program compiled to a loaded JVM class. Buffers are Java arrays ({@code float[]},
 * {@code double[]}, {@code int[]}, {@code long[]}, and {@code boolean[]} for bool), allocated on
 * the first run for a set of dimension values and reused while those do not change; inputs are
 * copied in and results copied out into fresh tensors. One run at a time: {@link #run} is
 * synchronized.
 */
public final class JvmProgram {
    private final LoopProgram program;
    private final byte[] classBytes;
    private final CompiledProgram compiled;
    private Storage storage;

    JvmProgram(LoopProgram program, byte[] classBytes, CompiledProgram compiled) {
        this.program = program;
        this.classBytes = classBytes;
        this.compiled = compiled;
    }

    /**
     * Runs the program on {@code inputs} (keyed as {@link LoopProgram#inputs()}; only dtypes and
     * element counts are checked) with its dimension variables bound by {@code dims}.
     *
     * @return a fresh tensor per result, by name
     * @throws IllegalArgumentException for a missing input or dimension, a dtype or size
     *     mismatch, or a buffer too large for int indices
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims) {
        int[] values = dimValues(dims);
        if (storage == null || !java.util.Arrays.equals(storage.dims, values)) {
            storage = null; // let the old arrays go before allocating new ones
            storage = Storage.allocate(program, values);
            compiled.bind(storage.arrays, values);
        }
        storage.copyIn(program, inputs);
        compiled.run();
        return storage.results(program);
    }

    private int[] dimValues(Map<String, Long> dims) {
        int[] values = new int[program.dims().size()];
        for (int i = 0; i < values.length; i++) {
            String name = program.dims().get(i);
            Long v = dims.get(name);
            if (v == null) throw new IllegalArgumentException("dimension " + name + " is not bound");
            if (v < 0 || v > Storage.MAX_ELEMENTS) throw new IllegalArgumentException("dimension " + name + " = " + v + " is out of range");
            values[i] = (int) (long) v;
        }
        return values;
    }

    /** The generated class file, for writing into an ahead-of-time jar. */
    public byte[] classBytes() { return classBytes.clone(); }

    public LoopProgram program() { return program; }
}
