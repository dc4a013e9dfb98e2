package dev.modelc.runtime.jvm;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a loaded generated class again and again with some of its inputs resident: their arrays
 * belong to this runner and outlive every run, and after a run the result of the same name is
 * the input's new value (written over it by the program where the compiler could, copied array
 * to array otherwise). A training step runs this way, so its params and optimiser state stay in
 * the program's own arrays between steps and a step allocates no tensors: only the other inputs
 * (the batch) are copied in, and the loss and metrics are read as scalars.
 *
 * <p>Storage for the other buffers is kept for the two most recent sets of dimension values (a
 * full batch and the last, partial one), so an epoch does not reallocate it. One run at a time.
 */
public final class ResidentRunner implements dev.modelc.runtime.ResidentProgram {
    private static final int STORAGES_KEPT = 2;

    private final ProgramLayout layout;
    private final CompiledProgram compiled;
    private final Map<String, Object> resident = new LinkedHashMap<>();
    private final Map<Integer, Object> residentByBuffer = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final List<String> others = new ArrayList<>();
    private final List<String> copiedBack = new ArrayList<>();
    private final LinkedHashMap<List<Integer>, ProgramStorage> storages = new LinkedHashMap<>(4, 0.75f, true);
    private ProgramStorage current;

    /**
     * @param residentInputs the inputs to keep; those the program does not read are ignored. Each
     *     must have a fixed shape. They start zeroed.
     */
    public ResidentRunner(ProgramLayout layout, CompiledProgram compiled, Collection<String> residentInputs) {
        this.layout = layout;
        this.compiled = compiled;
        for (var e : layout.inputs().entrySet()) {
            String name = e.getKey();
            if (!residentInputs.contains(name)) {
                others.add(name);
                continue;
            }
            var b = layout.buffers().get(e.getValue());
            long[] shape;
            try {
                shape = b.shape().stream().mapToLong(d -> DimFormula.evaluate(d, Map.of())).toArray();
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("input " + name + " cannot be resident: its shape " + b.shape() + " is not fixed", ex);
            }
            long n = Tensor.elementCountOf(shape);
            shapes.put(name, shape);
            if (n > ProgramStorage.MAX_ELEMENTS) throw new IllegalArgumentException("input " + name + " has " + n + " elements");
            Object array = ProgramStorage.newArray(b.dtype(), (int) n, compiled.offHeap());
            resident.put(name, array);
            residentByBuffer.put(b.id(), array);
            counts.put(name, (int) n);
            Integer result = layout.results().get(name);
            if (result != null && result.intValue() != b.id()) copiedBack.add(name);
        }
    }

    public ProgramLayout layout() { return layout; }

    /** The resident inputs, in the program's order. */
    @Override
    public List<String> residents() { return List.copyOf(resident.keySet()); }

    /** Sets a resident input's value (copied in). */
    @Override
    public void put(String name, Tensor value) {
        ProgramStorage.copyIn(bufferOf(name), value, array(name), counts.get(name));
    }

    /** Sets a resident scalar input of a floating-point type. */
    @Override
    public void putScalar(String name, double value) {
        switch (array(name)) {
            case float[] f -> f[0] = (float) value;
            case double[] d -> d[0] = value;
            case MemorySegment m when bufferOf(name).dtype() == DType.F32 -> m.set(ValueLayout.JAVA_FLOAT, 0, (float) value);
            case MemorySegment m when bufferOf(name).dtype() == DType.F64 -> m.set(ValueLayout.JAVA_DOUBLE, 0, value);
            default -> throw new IllegalArgumentException("input " + name + " is not floating-point");
        }
    }

    /** Sets a resident scalar input of an integer type. */
    @Override
    public void putScalar(String name, long value) {
        switch (array(name)) {
            case int[] v -> v[0] = (int) value;
            case long[] v -> v[0] = value;
            case MemorySegment m when bufferOf(name).dtype() == DType.I32 -> m.set(ValueLayout.JAVA_INT, 0, (int) value);
            case MemorySegment m when bufferOf(name).dtype() == DType.I64 -> m.set(ValueLayout.JAVA_LONG, 0, value);
            default -> throw new IllegalArgumentException("input " + name + " is not an integer");
        }
    }

    /** A fresh tensor holding a resident input's current value. */
    @Override
    public Tensor get(String name) { return ProgramStorage.tensor(bufferOf(name).dtype(), shapes.get(name), array(name)); }

    /**
     * Runs the program: copies in the inputs that are not resident (only dtypes and element
     * counts are checked), then carries each result named after a resident input over to it.
     */
    @Override
    public void run(Map<String, Tensor> inputs, Map<String, Long> dims) { run(inputs, null, dims); }

    /**
     * As {@link #run(Map, Map)}, with each input that is not resident taken as the rows
     * {@code rows} of the tensor given for it (a batch read straight from a dataset; null: the
     * whole tensor).
     */
    @Override
    public void run(Map<String, Tensor> inputs, long[] rows, Map<String, Long> dims) {
        var storage = storageFor(ProgramRunner.dimValues(layout, dims));
        for (String name : others) {
            Tensor t = inputs.get(name);
            if (t == null) throw new IllegalArgumentException("missing input " + name);
            int id = layout.inputs().get(name);
            var b = layout.buffers().get(id);
            if (rows == null) ProgramStorage.copyIn(b, t, storage.array(id), storage.count(id));
            else ProgramStorage.copyRows(b, t, rows, storage.array(id), storage.count(id));
        }
        compiled.run();
        for (String name : copiedBack) {
            int id = layout.results().get(name);
            ProgramStorage.copy(layout.buffers().get(id).dtype(), storage.array(id), resident.get(name), counts.get(name));
        }
    }

    /** A fresh tensor per result of the last run that is not a resident's new value, by name (sorted). */
    @Override
    public Map<String, Tensor> results() {
        if (current == null) throw new IllegalStateException("nothing has run yet");
        var out = new java.util.TreeMap<String, Tensor>();
        layout.results().forEach((name, id) -> {
            if (!resident.containsKey(name)) out.put(name, current.tensor(layout.buffers().get(id)));
        });
        return out;
    }

    /** Element 0 of a result of the last run, as a double. */
    @Override
    public double scalar(String result) {
        Integer id = layout.results().get(result);
        if (id == null) throw new IllegalArgumentException("no result " + result);
        if (current == null) throw new IllegalStateException("nothing has run yet");
        return current.scalar(id);
    }

    private ProgramStorage storageFor(int[] dims) {
        if (current != null && Arrays.equals(current.dims(), dims)) return current;
        var key = Arrays.stream(dims).boxed().toList();
        var storage = storages.get(key);
        if (storage == null) {
            if (storages.size() >= STORAGES_KEPT) storages.remove(storages.keySet().iterator().next());
            storage = ProgramStorage.allocate(layout, dims, residentByBuffer, compiled.offHeap());
            storages.put(key, storage);
        }
        compiled.bind(storage.arrays(), dims);
        current = storage;
        return storage;
    }

    private Object array(String name) {
        Object a = resident.get(name);
        if (a == null) throw new IllegalArgumentException("input " + name + " is not resident");
        return a;
    }

    private ProgramLayout.Buffer bufferOf(String name) {
        array(name);
        return layout.buffers().get(layout.inputs().get(name));
    }
}
