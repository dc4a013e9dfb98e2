package dev.modelc.runtime.jvm;

import dev.modelc.runtime.Tensor;
import java.util.Map;

/**
 * Runs a loaded generated class on tensors: binds storage for the dimension values (kept while
 * they do not change), copies the inputs in, runs the kernels, copies the results out. One run at
 * a time.
 */
public final class ProgramRunner {
    private final ProgramLayout layout;
    private final CompiledProgram compiled;
    private ProgramStorage storage;

    public ProgramRunner(ProgramLayout layout, CompiledProgram compiled) {
        this.layout = layout;
        this.compiled = compiled;
    }

    public ProgramLayout layout() { return layout; }

    /**
     * @return a fresh tensor per result, by name
     * @throws IllegalArgumentException for a missing input or dimension, a dtype or size mismatch,
     *     or a buffer too large for int indices
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims) {
        int[] values = dimValues(layout, dims);
        if (storage == null || !java.util.Arrays.equals(storage.dims(), values)) {
            storage = null; // let the old arrays go before allocating new ones
            storage = ProgramStorage.allocate(layout, values, compiled.offHeap());
            compiled.bind(storage.arrays(), values);
        }
        storage.copyIn(layout, inputs);
        compiled.run();
        return storage.results(layout);
    }

    /** The values of the layout's dimension variables, in its order; each must be bound and in int range. */
    static int[] dimValues(ProgramLayout layout, Map<String, Long> dims) {
        int[] values = new int[layout.dims().size()];
        for (int i = 0; i < values.length; i++) {
            String name = layout.dims().get(i);
            Long v = dims.get(name);
            if (v == null) throw new IllegalArgumentException("dimension " + name + " is not bound");
            if (v < 0 || v > ProgramStorage.MAX_ELEMENTS) throw new IllegalArgumentException("dimension " + name + " = " + v + " is out of range");
            values[i] = (int) (long) v;
        }
        return values;
    }
}
