package dev.modelc.runtime.jvm;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storage a compiled program runs on, for one binding of its dimension variables: one
 * array per input buffer and one per slot of temporaries (shared by the slot's buffers, sized for
 * the largest). Made once per distinct set of dimension values and reused, so repeated runs
 * allocate only their result tensors. The "arrays" are Java arrays for JVM code, or 64-byte
 * aligned off-heap {@link MemorySegment}s (bools one byte each, 0 or 1) for native code
 * ({@link CompiledProgram#offHeap}), freed when the storage is unreachable.
 */
public final class ProgramStorage {
    /** The largest Java array the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Off-heap storage is aligned for the widest vector loads (and for cache lines). */
    public static final long ALIGNMENT = 64;

    private final int[] dims;
    private final Object[] arrays;
    private final int[] counts;
    private final long[][] shapes;

    private final DType[] dtypes;

    private ProgramStorage(int[] dims, Object[] arrays, int[] counts, long[][] shapes, DType[] dtypes) {
        this.dims = dims;
        this.arrays = arrays;
        this.counts = counts;
        this.shapes = shapes;
        this.dtypes = dtypes;
    }

    /** The dimension values this storage was made for, in the layout's order. */
    public int[] dims() { return dims.clone(); }

    /** The arrays to bind, by buffer id. */
    public Object[] arrays() { return arrays; }

    /** @throws IllegalArgumentException if a buffer's size does not fit an int index */
    public static ProgramStorage allocate(ProgramLayout p, int[] dims, boolean offHeap) { return allocate(p, dims, Map.of(), offHeap); }

    /**
     * As {@link #allocate(ProgramLayout, int[], boolean)}, but input buffers named in {@code given} (by
     * buffer id) use the given arrays, which must be of the buffer's type and length.
     */
    public static ProgramStorage allocate(ProgramLayout p, int[] dims, Map<Integer, Object> given, boolean offHeap) {
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
        slotSize.forEach((slot, size) -> slotArrays.put(slot, newArray(slotType.get(slot), size, offHeap)));
        Object[] arrays = new Object[n];
        for (var b : p.buffers()) {
            Object mine = given.get(b.id());
            if (mine != null && !fits(mine, b.dtype(), counts[b.id()], offHeap)) {
                throw new IllegalArgumentException("buffer " + b.name() + " needs " + counts[b.id()] + " elements of " + b.dtype());
            }
            arrays[b.id()] = mine != null ? mine : b.input() ? newArray(b.dtype(), counts[b.id()], offHeap) : slotArrays.get(b.slot());
        }
        var dtypes = new DType[n];
        for (var b : p.buffers()) dtypes[b.id()] = b.dtype();
        return new ProgramStorage(dims.clone(), arrays, counts, shapes, dtypes);
    }

    private static boolean fits(Object storage, DType t, int n, boolean offHeap) {
        if (storage instanceof MemorySegment m) return offHeap && m.byteSize() >= (long) n * t.byteSize();
        return !offHeap && java.lang.reflect.Array.getLength(storage) == n && storage.getClass() == newArray(t, 0).getClass();
    }

    /** Zeroed storage for {@code n} elements of {@code t}: an array, or an aligned off-heap segment. */
    static Object newArray(DType t, int n, boolean offHeap) {
        if (!offHeap) return newArray(t, n);
        if (t == DType.F16 || t == DType.BF16) throw new UnsupportedOperationException("native code does not support " + t + " yet");
        return Arena.ofAuto().allocate(Math.max(1, (long) n * t.byteSize()), ALIGNMENT);
    }

    /** A zeroed array for {@code n} elements of {@code t}. */
    static Object newArray(DType t, int n) {
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
            if (t == null) throw new IllegalArgumentException("missing input " + name);
            copyIn(p.buffers().get(id), t, arrays[id], counts[id]);
        });
    }

    /** Copies one tensor into {@code array}, the storage of buffer {@code b} ({@code n} elements). */
    static void copyIn(ProgramLayout.Buffer b, Tensor t, Object array, int n) {
        String name = b.name();
        if (t.dtype() != b.dtype()) throw new IllegalArgumentException("input " + name + " is " + t.dtype() + ", not " + b.dtype());
        if (t.elementCount() != n) throw new IllegalArgumentException("input " + name + " has " + t.elementCount() + " elements, not " + n);
        MemorySegment src = t.segment();
        switch (array) {
            case MemorySegment m -> copyBytes(b.dtype(), src, 0, m, 0, n);
            case float[] f -> MemorySegment.copy(src, layout(ValueLayout.JAVA_FLOAT_UNALIGNED), 0, f, 0, n);
            case double[] d -> MemorySegment.copy(src, layout(ValueLayout.JAVA_DOUBLE_UNALIGNED), 0, d, 0, n);
            case int[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_INT_UNALIGNED), 0, v, 0, n);
            case long[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_LONG_UNALIGNED), 0, v, 0, n);
            case boolean[] z -> { for (int i = 0; i < n; i++) z[i] = src.get(ValueLayout.JAVA_BYTE, i) != 0; }
            default -> throw new IllegalStateException("no array for input " + name);
        }
    }

    /**
     * Copies the rows {@code rows} of {@code source} (its entries along axis 0), in that order,
     * into {@code array}, the storage of buffer {@code b} ({@code n} elements): a batch gathered
     * from a dataset without making a tensor of it. Checks the dtype, the indices and that the
     * rows fill the buffer exactly.
     */
    static void copyRows(ProgramLayout.Buffer b, Tensor source, long[] rows, Object array, int n) {
        String name = b.name();
        if (source.dtype() != b.dtype()) throw new IllegalArgumentException("input " + name + " is " + source.dtype() + ", not " + b.dtype());
        if (source.rank() == 0) throw new IllegalArgumentException("input " + name + " has no rows to gather");
        long rowCount = source.dim(0);
        long perRow = rowCount == 0 ? 0 : source.elementCount() / rowCount;
        if (perRow * rows.length != n) {
            throw new IllegalArgumentException("input " + name + ": " + rows.length + " rows of " + perRow + " elements, not " + n);
        }
        MemorySegment src = source.segment();
        long rowBytes = perRow * b.dtype().byteSize();
        int width = (int) perRow;
        for (int k = 0; k < rows.length; k++) {
            java.util.Objects.checkIndex(rows[k], rowCount);
            long at = rows[k] * rowBytes;
            int to = k * width;
            switch (array) {
                case MemorySegment m -> copyBytes(b.dtype(), src, at, m, (long) to * b.dtype().byteSize(), width);
                case float[] f -> MemorySegment.copy(src, layout(ValueLayout.JAVA_FLOAT_UNALIGNED), at, f, to, width);
                case double[] d -> MemorySegment.copy(src, layout(ValueLayout.JAVA_DOUBLE_UNALIGNED), at, d, to, width);
                case int[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_INT_UNALIGNED), at, v, to, width);
                case long[] v -> MemorySegment.copy(src, layout(ValueLayout.JAVA_LONG_UNALIGNED), at, v, to, width);
                case boolean[] z -> { for (int i = 0; i < width; i++) z[to + i] = src.get(ValueLayout.JAVA_BYTE, at + i) != 0; }
                default -> throw new IllegalStateException("no array for input " + name);
            }
        }
    }

    /** Copies {@code n} elements of {@code t} between segments; bools become exactly 0 or 1. */
    private static void copyBytes(DType t, MemorySegment src, long from, MemorySegment dst, long to, long n) {
        if (t != DType.BOOL) {
            MemorySegment.copy(src, from, dst, to, n * t.byteSize());
            return;
        }
        for (long i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, to + i, (byte) (src.get(ValueLayout.JAVA_BYTE, from + i) != 0 ? 1 : 0));
    }

    /** Copies the first {@code n} elements of one storage of {@code t} into another of the same kind. */
    static void copy(DType t, Object from, Object to, int n) {
        if (from instanceof MemorySegment f) MemorySegment.copy(f, 0, (MemorySegment) to, 0, (long) n * t.byteSize());
        else System.arraycopy(from, 0, to, 0, n);
    }

    /** Tensors are little-endian. */
    private static <L extends ValueLayout> ValueLayout layout(L l) { return l.withOrder(ByteOrder.LITTLE_ENDIAN); }

    /** A fresh tensor per result, sorted by name, shaped as its buffer. */
    public Map<String, Tensor> results(ProgramLayout p) {
        var out = new LinkedHashMap<String, Tensor>();
        p.results().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(r -> out.put(r.getKey(), tensor(p.buffers().get(r.getValue()))));
        return out;
    }

    /** A fresh tensor holding buffer {@code b}'s current value, shaped as the buffer. */
    public Tensor tensor(ProgramLayout.Buffer b) { return tensor(b.dtype(), shapes[b.id()], arrays[b.id()]); }

    /** A fresh tensor of the given shape holding the first elements of {@code array}. */
    static Tensor tensor(DType dtype, long[] shape, Object array) {
        int n = (int) Tensor.elementCountOf(shape);
        return switch (array) {
            case MemorySegment m -> Tensor.fromBytes(dtype, shape, m.asSlice(0, (long) n * dtype.byteSize()), ByteOrder.nativeOrder());
            case boolean[] z -> Tensor.of(Arrays.copyOf(z, n), shape);
            case Object a -> Tensor.fromBytes(dtype, shape, heap(a).asSlice(0, (long) n * dtype.byteSize()), ByteOrder.nativeOrder());
        };
    }

    /** Element 0 of buffer {@code id}, as a double (a loss or a metric). */
    public double scalar(int id) {
        return switch (arrays[id]) {
            case MemorySegment m -> scalar(dtypes[id], m);
            case float[] f -> f[0];
            case double[] d -> d[0];
            case int[] v -> v[0];
            case long[] v -> v[0];
            case boolean[] z -> z[0] ? 1 : 0;
            default -> throw new IllegalStateException("no array for buffer " + id);
        };
    }

    /** Element 0 of an off-heap storage of {@code t}, as a double. */
    static double scalar(DType t, MemorySegment m) {
        return switch (t) {
            case F32 -> m.get(ValueLayout.JAVA_FLOAT, 0);
            case F64 -> m.get(ValueLayout.JAVA_DOUBLE, 0);
            case I32 -> m.get(ValueLayout.JAVA_INT, 0);
            case I64 -> m.get(ValueLayout.JAVA_LONG, 0);
            case BOOL -> m.get(ValueLayout.JAVA_BYTE, 0);
            case F16, BF16 -> throw new UnsupportedOperationException(t.toString());
        };
    }

    /** The element count of buffer {@code id} for these dimension values. */
    public int count(int id) { return counts[id]; }

    /** Buffer {@code id}'s array (shared with its slot). */
    public Object array(int id) { return arrays[id]; }

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
