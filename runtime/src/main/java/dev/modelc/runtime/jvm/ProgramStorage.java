package dev.modelc.runtime.jvm;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java arrays a compiled program runs on, for one binding of its dimension variables: one
 * array per input buffer and one per slot of temporaries (shared by the slot's buffers, sized for
 * the largest). Made once per distinct set of dimension values and reused, so repeated runs
 * allocate only their result tensors.
 */
public final class ProgramStorage {
    /** The largest Java array the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int[] dims;
    private final Object[] arrays;
    private final int[] counts;
    private final long[][] shapes;

    private ProgramStorage(int[] dims, Object[] arrays, int[] counts, long[][] shapes) {
        this.dims = dims;
        this.arrays = arrays;
        this.counts = counts;
        this.shapes = shapes;
    }

    /** The dimension values this storage was made for, in the layout's order. */
    public int[] dims() { return dims.clone(); }

    /** The arrays to bind, by buffer id. */
    public Object[] arrays() { return arrays; }

    /** @throws IllegalArgumentException if a buffer's size does not fit an int index */
    public static ProgramStorage allocate(ProgramLayout p, int[] dims) {
        var env = new HashMap<String, Long>();
        for (int i = 0; i < dims.length; i++) env.put(p.dims().get(i), (long) dims[i]);
        int n = p.buffers().size();
        int[] counts = new int[n];
        long[][] shapes = new long[n][];
        var slotSize = new HashMap<Integer, Integer>();
        var slotType = new HashMap<Integer, DType>();
        for (var b : p.buffers()) {
            shapes[b.id()] = b.shape().stream().mapToLong(d -> DimFormula.evaluate(d, env)).toArray();
            long count = Tensor.elementCountOf(shapes[b.id()]);
            if (count > MAX_ELEMENTS) {
                throw new IllegalArgumentException("buffer " + b.name() + " has " + count + " elements; the JVM backend indexes with ints"
                        + " and takes at most " + MAX_ELEMENTS);
            }
            counts[b.id()] = (int) count;
            if (!b.input()) {
                DType other = slotType.putIfAbsent(b.slot(), b.dtype());
                if (other != null && other != b.dtype()) {
                    throw new IllegalArgumentException("slot " + b.slot() + " holds both " + other + " and " + b.dtype());
                }
                slotSize.merge(b.slot(), (int) count, Math::max);
            }
        }
        var slotArrays = new HashMap<Integer, Object>();
        slotSize.forEach((slot, size) -> slotArrays.put(slot, newArray(slotType.get(slot), size)));
        Object[] arrays = new Object[n];
        for (var b : p.buffers()) arrays[b.id()] = b.input() ? newArray(b.dtype(), counts[b.id()]) : slotArrays.get(b.slot());
        return new ProgramStorage(dims.clone(), arrays, counts, shapes);
    }

    private static Object newArray(DType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
            case F16, BF16 -> throw new UnsupportedOperationException("the JVM backend does not support " + t + " yet");
        };
    }

    /** Copies each input into its buffer's array; checks only dtypes and element counts. */
    public void copyIn(ProgramLayout p, Map<String, Tensor> inputs) {
        p.inputs().forEach((name, id) -> {
            Tensor t = inputs.get(name);
            var b = p.buffers().get(id);
            if (t == null) throw new IllegalArgumentException("missing input " + name);
            if (t.dtype() != b.dtype()) throw new IllegalArgumentException("input " + name + " is " + t.dtype() + ", not " + b.dtype());
            int n = counts[id];
            if (t.elementCount() != n) throw new IllegalArgumentException("input " + name + " has " + t.elementCount() + " elements, not " + n);
            MemorySegment src = t.segment();
            switch (arrays[id]) {
                case float[] f -> MemorySegment.copy(src, layout(ValueLayout.JAVA_FLOAT_UNALIGNED), 0, f, 0, n);
                case double[] d -> MemorySegment.copy(src, layout(ValueLayout.JAVA_DOUBLE_UNALIGNED), 0, d, 0, n);
                case int[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_INT_UNALIGNED), 0, v, 0, n);
                case long[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_LONG_UNALIGNED), 0, v, 0, n);
                case boolean[] z -> { for (int i = 0; i < n; i++) z[i] = src.get(ValueLayout.JAVA_BYTE, i) != 0; }
                default -> throw new IllegalStateException("no array for input " + name);
            }
        });
    }

    /** Tensors are little-endian. */
    private static <L extends ValueLayout> ValueLayout layout(L l) { return l.withOrder(ByteOrder.LITTLE_ENDIAN); }

    /** A fresh tensor per result, sorted by name, shaped as its buffer. */
    public Map<String, Tensor> results(ProgramLayout p) {
        var out = new LinkedHashMap<String, Tensor>();
        p.results().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(r -> {
            var b = p.buffers().get(r.getValue());
            int n = counts[b.id()];
            long[] shape = shapes[b.id()];
            Object a = arrays[b.id()];
            out.put(r.getKey(), switch (a) {
                case boolean[] z -> Tensor.of(z.length == n ? z : Arrays.copyOf(z, n), shape);
                default -> Tensor.fromBytes(b.dtype(), shape, heap(a).asSlice(0, (long) n * b.dtype().byteSize()), ByteOrder.nativeOrder());
            });
        });
        return out;
    }

    private static MemorySegment heap(Object a) {
        return switch (a) {
            case float[] f -> MemorySegment.ofArray(f);
            case double[] d -> MemorySegment.ofArray(d);
            case int[] v -> MemorySegment.ofArray(v);
            case long[] v -> MemorySegment.ofArray(v);
            default -> throw new IllegalStateException("no heap segment for " + a.getClass());
        };
    }
}
