package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.loops.LoopProgram.Kind;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference semantics of Loop IR: runs a {@link LoopProgram} statement by statement in plain
 * Java, for checking lowerings and backends. Not fast, and not meant to be.
 *
 * <p>Storage: each input buffer gets a copy of its input; each slot of temporaries gets one
 * zeroed array sized for its largest buffer, shared by all buffers in the slot (which must have
 * one dtype). Floats are held as doubles, integers and indices as longs, bools as booleans, with
 * f32 and i32 values always rounded or wrapped to their type. Every load and store is checked
 * against its own buffer's element count, not the slot's. Kernels run in order; parallel loops
 * run serially. Element arithmetic is the interpreter's ({@link Lanes}); lane reductions fold
 * left to right from lane 0.
 */
public final class LoopEvaluator {
    private LoopEvaluator() {}

    /**
     * Runs {@code p} on {@code inputs} (keyed as {@link LoopProgram#inputs()}) with the dimension
     * variables bound by {@code dims}; returns a fresh tensor per result, shaped as its buffer.
     *
     * @throws IllegalArgumentException if an input is missing or its dtype or element count does
     *     not match its buffer, or a dimension variable is unbound
     */
    public static Map<String, Tensor> run(LoopProgram p, Map<String, Tensor> inputs, Map<String, Long> dims) {
        Object[] arrays = allocate(p, inputs, dims);
        int[] sizes = new int[p.buffers().size()];
        for (Buffer b : p.buffers()) sizes[b.id()] = elementCount(b, dims);
        var kernels = new KernelInterpreter(p, arrays, sizes, dims);
        for (var k : p.kernels()) kernels.run(k);
        var out = new LinkedHashMap<String, Tensor>();
        p.results().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(r -> out.put(r.getKey(), toTensor(p.buffer(r.getValue()), arrays[r.getValue()], dims)));
        return out;
    }

    private static Object[] allocate(LoopProgram p, Map<String, Tensor> inputs, Map<String, Long> dims) {
        Object[] arrays = new Object[p.buffers().size()];
        var slotSize = new HashMap<Integer, Integer>();
        var slotType = new HashMap<Integer, DType>();
        for (Buffer b : p.buffers()) {
            if (b.kind() != Kind.TEMP) continue;
            DType other = slotType.putIfAbsent(b.slot(), b.dtype());
            if (other != null && other != b.dtype()) {
                throw new IllegalArgumentException("slot " + b.slot() + " holds both " + other + " and " + b.dtype());
            }
            slotSize.merge(b.slot(), elementCount(b, dims), Math::max);
        }
        var slotArrays = new HashMap<Integer, Object>();
        slotSize.forEach((slot, n) -> slotArrays.put(slot, newArray(slotType.get(slot), n)));
        for (Buffer b : p.buffers()) if (b.kind() == Kind.TEMP) arrays[b.id()] = slotArrays.get(b.slot());
        p.inputs().forEach((name, id) -> arrays[id] = readInput(name, p.buffer(id), inputs.get(name), dims));
        return arrays;
    }

    static int elementCount(Buffer b, Map<String, Long> dims) {
        long n = b.elements().evaluate(dims).orElseThrow(() -> new IllegalArgumentException(
                "buffer " + b.name() + " has shape " + b.shape() + " but not all of " + b.elements().variables() + " are bound"));
        if (n < 0 || n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("buffer " + b.name() + " has " + n + " elements");
        return (int) n;
    }

    private static Object newArray(DType t, int n) {
        return switch (t.kind) {
            case FLOAT -> { requireSupported(t); yield new double[n]; }
            case INT -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    private static void requireSupported(DType t) {
        if (t == DType.F16 || t == DType.BF16) throw new UnsupportedOperationException(t + " buffers are not supported yet");
    }

    private static Object readInput(String name, Buffer b, Tensor t, Map<String, Long> dims) {
        if (t == null) throw new IllegalArgumentException("missing input " + name);
        if (t.dtype() != b.dtype().toRuntime()) {
            throw new IllegalArgumentException("input " + name + " is " + t.dtype() + " but its buffer " + b.name() + " is " + b.dtype());
        }
        int n = elementCount(b, dims);
        if (t.elementCount() != n) {
            throw new IllegalArgumentException("input " + name + " has " + t.elementCount() + " elements but buffer " + b.name()
                    + b.shape() + " has " + n);
        }
        return switch (b.dtype().kind) {
            case FLOAT -> { requireSupported(b.dtype()); yield t.toDoubleArray(); }
            case INT -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
        };
    }

    private static Tensor toTensor(Buffer b, Object array, Map<String, Long> dims) {
        int n = elementCount(b, dims);
        long[] shape = b.shape().stream().mapToLong(d -> d.evaluate(dims).orElseThrow()).toArray();
        return switch (array) {
            case double[] d when b.dtype() == DType.F32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float) d[i];
                yield Tensor.of(f, shape);
            }
            case double[] d -> Tensor.of(java.util.Arrays.copyOf(d, n), shape);
            case long[] l when b.dtype() == DType.I32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = (int) l[i];
                yield Tensor.of(v, shape);
            }
            case long[] l -> Tensor.of(java.util.Arrays.copyOf(l, n), shape);
            case boolean[] z -> Tensor.of(java.util.Arrays.copyOf(z, n), shape);
            default -> throw new IllegalStateException("no storage for " + b.name());
        };
    }
}
