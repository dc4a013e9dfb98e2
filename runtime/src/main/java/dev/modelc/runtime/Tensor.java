package dev.modelc.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable n-dimensional array: a {@link DType}, a shape and its elements in C (row-major)
 * order, little-endian, in an off-heap {@link MemorySegment} aligned to 64 bytes so that native
 * kernels can use it directly.
 *
 * <p>Equality is by dtype, shape and exact bytes: {@code NaN} equals a {@code NaN} with the same
 * bits, and {@code -0.0f} differs from {@code 0.0f}. Factories copy their input and
 * {@link #segment()} is read-only, so a tensor never changes after it is made.
 */
public final class Tensor {
    /** Cache-line alignment: what vector loads and native kernels expect. */
    private static final long ALIGNMENT = 64;
    private static final int PREVIEW_ELEMENTS = 6;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long[] shape;
    private final long elementCount;
    private final MemorySegment data;

    private Tensor(DType dtype, long[] shape, long elementCount, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape;
        this.elementCount = elementCount;
        this.data = data;
    }

    // ---- factories -------------------------------------------------------------------------

    public static Tensor of(float[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.F32, shape, values.length);
        MemorySegment.copy(values, 0, t.data, FLOAT, 0, values.length);
        return t;
    }

    public static Tensor of(double[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.F64, shape, values.length);
        MemorySegment.copy(values, 0, t.data, DOUBLE, 0, values.length);
        return t;
    }

    public static Tensor of(int[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.I32, shape, values.length);
        MemorySegment.copy(values, 0, t.data, INT, 0, values.length);
        return t;
    }

    public static Tensor of(long[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.I64, shape, values.length);
        MemorySegment.copy(values, 0, t.data, LONG, 0, values.length);
        return t;
    }

    public static Tensor of(boolean[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.BOOL, shape, values.length);
        for (int i = 0; i < values.length; i++) {
            t.data.set(ValueLayout.JAVA_BYTE, i, values[i] ? (byte) 1 : (byte) 0);
        }
        return t;
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor scalar(double value) {
        return of(new double[] {value});
    }

    public static Tensor scalar(int value) {
        return of(new int[] {value});
    }

    public static Tensor scalar(long value) {
        return of(new long[] {value});
    }

    public static Tensor scalar(boolean value) {
        return of(new boolean[] {value});
    }

    /** A tensor of zeros (false for BOOL). */
    public static Tensor zeros(DType dtype, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        long[] dims = copyShape(shape);
        long count = elementCountOf(dims);
        return allocate(dtype, dims, count); // Arena.allocate zero-fills
    }

    /**
     * A tensor whose elements are copied from {@code bytes}, which hold them in C order with
     * the given byte order (swapped to little-endian as they are copied). This is how readers of
     * tensor files build tensors. BOOL bytes must each be 0 or 1.
     *
     * @throws IllegalArgumentException if the byte count does not match the shape, or a BOOL
     *     byte is neither 0 nor 1
     */
    public static Tensor fromBytes(DType dtype, long[] shape, MemorySegment bytes, ByteOrder order) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(order, "order");
        long[] dims = copyShape(shape);
        long count = elementCountOf(dims);
        long needed = byteSizeOf(dtype, dims);
        if (bytes.byteSize() != needed) {
            throw new IllegalArgumentException("data is " + bytes.byteSize() + " bytes but shape "
                    + formatShape(dims) + " of " + dtype.displayName() + " needs " + needed);
        }
        if (dtype == DType.BOOL) {
            for (long i = 0; i < count; i++) {
                byte b = bytes.get(ValueLayout.JAVA_BYTE, i);
                if (b != 0 && b != 1) {
                    throw new IllegalArgumentException("bool element " + i + " is " + (b & 0xff)
                            + "; bool bytes must be 0 or 1");
                }
            }
        }
        Tensor t = allocate(dtype, dims, count);
        // The layout-aware copy swaps each element's bytes when the two byte orders differ.
        ValueLayout unit = switch (dtype.byteSize()) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
            case 8 -> ValueLayout.JAVA_LONG_UNALIGNED;
            default -> throw new AssertionError(dtype);
        };
        MemorySegment.copy(bytes, unit.withOrder(order), 0, t.data, unit.withOrder(ByteOrder.LITTLE_ENDIAN), 0, count);
        return t;
    }

    /**
     * The rows of {@code t} (its entries along axis 0) at {@code indices}, in that order (repeats
     * allowed), copied into one new tensor: how a shuffled batch is gathered from a dataset.
     *
     * @throws IllegalArgumentException for a scalar {@code t}
     * @throws IndexOutOfBoundsException for an index outside the rows
     */
    public static Tensor gatherRows(Tensor t, long[] indices) {
        if (t.rank() == 0) throw new IllegalArgumentException("a scalar has no rows to gather");
        long rows = t.shape[0];
        for (long i : indices) Objects.checkIndex(i, rows);
        long[] dims = t.shape.clone();
        dims[0] = indices.length;
        long rowBytes = rows == 0 ? 0 : t.data.byteSize() / rows;
        Tensor out = allocate(t.dtype, dims, elementCountOf(dims));
        for (int k = 0; k < indices.length; k++) MemorySegment.copy(t.data, indices[k] * rowBytes, out.data, k * rowBytes, rowBytes);
        return out;
    }

    private static Tensor allocate(DType dtype, long[] shape, long valueCount) {
        long[] dims = copyShape(shape);
        long count = elementCountOf(dims);
        if (count != valueCount) {
            throw new IllegalArgumentException(valueCount + " values given but shape "
                    + formatShape(dims) + " has " + count + " elements");
        }
        MemorySegment data = Arena.ofAuto().allocate(byteSizeOf(dtype, dims), ALIGNMENT);
        return new Tensor(dtype, dims, count, data);
    }

    private static long[] copyShape(long[] shape) {
        return Objects.requireNonNull(shape, "shape").clone();
    }

    // ---- shape arithmetic ------------------------------------------------------------------

    /**
     * The number of elements of a shape.
     *
     * @throws IllegalArgumentException if a dimension is negative or the product overflows a long
     */
    public static long elementCountOf(long... shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + formatShape(shape) + " has a negative dimension");
            }
        }
        for (long d : shape) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                // A zero dimension later on cannot rescue an intermediate overflow; NumPy rejects
                // such shapes too, and so do we.
                throw new IllegalArgumentException("shape " + formatShape(shape) + " has more than "
                        + Long.MAX_VALUE + " elements");
            }
        }
        return count;
    }

    /**
     * The number of bytes a shape of this dtype occupies.
     *
     * @throws IllegalArgumentException if the shape is invalid or its size overflows a long
     */
    public static long byteSizeOf(DType dtype, long... shape) {
        long count = elementCountOf(shape);
        try {
            return Math.multiplyExact(count, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + formatShape(shape) + " of " + dtype.displayName()
                    + " needs more than " + Long.MAX_VALUE + " bytes");
        }
    }

    /** A shape as NumPy prints it: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    public static String formatShape(long... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * The same elements under another shape with the same element count. The data is shared,
     * not copied: a tensor never changes, so sharing is safe.
     *
     * @throws IllegalArgumentException if the element counts differ
     */
    public Tensor reshape(long... newShape) {
        long[] dims = copyShape(newShape);
        long count = elementCountOf(dims);
        if (count != elementCount) {
            throw new IllegalArgumentException("cannot reshape " + formatShape(shape) + " (" + elementCount
                    + " elements) to " + formatShape(dims) + " (" + count + " elements)");
        }
        return new Tensor(dtype, dims, count, data);
    }

    // ---- accessors -------------------------------------------------------------------------

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long elementCount() {
        return elementCount;
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** The elements, C order, little-endian, as a read-only view. */
    public MemorySegment segment() {
        return data.asReadOnly();
    }

    /** F32 elements, or F16/BF16 elements widened exactly to float. */
    public float getFloat(long... index) {
        return floatAt(offsetOf(index));
    }

    /** F64 elements, or any floating dtype widened exactly to double. */
    public double getDouble(long... index) {
        long element = offsetOf(index);
        return dtype == DType.F64 ? data.get(DOUBLE, element * 8) : floatAtAs(element, "getDouble");
    }

    public int getInt(long... index) {
        require(DType.I32, "getInt");
        return data.get(INT, offsetOf(index) * 4);
    }

    /** I64 elements, or I32 elements widened to long. */
    public long getLong(long... index) {
        long element = offsetOf(index);
        return switch (dtype) {
            case I64 -> data.get(LONG, element * 8);
            case I32 -> data.get(INT, element * 4);
            default -> throw wrongType("getLong");
        };
    }

    public boolean getBoolean(long... index) {
        require(DType.BOOL, "getBoolean");
        return data.get(ValueLayout.JAVA_BYTE, offsetOf(index)) != 0;
    }

    public float[] toFloatArray() {
        int n = arrayLength();
        float[] out = new float[n];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, FLOAT, 0, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = floatAtAs(i, "toFloatArray");
            }
        }
        return out;
    }

    public double[] toDoubleArray() {
        int n = arrayLength();
        double[] out = new double[n];
        if (dtype == DType.F64) {
            MemorySegment.copy(data, DOUBLE, 0, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = floatAtAs(i, "toDoubleArray");
            }
        }
        return out;
    }

    public int[] toIntArray() {
        require(DType.I32, "toIntArray");
        int[] out = new int[arrayLength()];
        MemorySegment.copy(data, INT, 0, out, 0, out.length);
        return out;
    }

    /** I64 elements, or I32 elements widened to long. */
    public long[] toLongArray() {
        long[] out = new long[arrayLength()];
        switch (dtype) {
            case I64 -> MemorySegment.copy(data, LONG, 0, out, 0, out.length);
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = data.get(INT, i * 4L);
                }
            }
            default -> throw wrongType("toLongArray");
        }
        return out;
    }

    public boolean[] toBooleanArray() {
        require(DType.BOOL, "toBooleanArray");
        boolean[] out = new boolean[arrayLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(ValueLayout.JAVA_BYTE, i) != 0;
        }
        return out;
    }

    /** The raw little-endian bytes, C order. */
    public byte[] toByteArray() {
        if (data.byteSize() > MAX_JAVA_ARRAY) {
            throw new IllegalStateException(this + " is too large for a Java array");
        }
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    private float floatAt(long element) {
        return floatAtAs(element, "getFloat");
    }

    private float floatAtAs(long element, String operation) {
        return switch (dtype) {
            case F32 -> data.get(FLOAT, element * 4);
            case F16 -> Float.float16ToFloat(data.get(SHORT, element * 2));
            // bfloat16 is the top half of a float32.
            case BF16 -> Float.intBitsToFloat(data.get(SHORT, element * 2) << 16);
            default -> throw wrongType(operation);
        };
    }

    private long offsetOf(long[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but the tensor has rank " + shape.length);
        }
        long offset = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            long i = index[axis];
            if (i < 0 || i >= shape[axis]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of bounds for shape "
                        + formatShape(shape));
            }
            offset = offset * shape[axis] + i;
        }
        return offset;
    }

    private int arrayLength() {
        if (elementCount > MAX_JAVA_ARRAY) {
            throw new IllegalStateException(this + " has too many elements for a Java array");
        }
        return (int) elementCount;
    }

    private void require(DType expected, String operation) {
        if (dtype != expected) {
            throw wrongType(operation);
        }
    }

    private IllegalStateException wrongType(String operation) {
        return new IllegalStateException(operation + " is not defined for a " + dtype.displayName() + " tensor");
    }

    // ---- Object ----------------------------------------------------------------------------

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && data.mismatch(t.data) == -1;
    }

    @Override
    public int hashCode() {
        int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
        // Hashing a bounded prefix keeps hashCode cheap on large tensors; equals still compares all.
        long n = Math.min(data.byteSize(), 256);
        for (long i = 0; i < n; i++) {
            h = 31 * h + data.get(ValueLayout.JAVA_BYTE, i);
        }
        return h;
    }

    /** For example {@code Tensor(float32, (2, 3), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype.displayName()).append(", ")
                .append(formatShape(shape)).append(", [");
        long shown = Math.min(elementCount, PREVIEW_ELEMENTS);
        for (long i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(elementString(i));
        }
        if (elementCount > shown) {
            sb.append(", ... (").append(elementCount).append(" elements)");
        }
        return sb.append("])").toString();
    }

    private String elementString(long i) {
        return switch (dtype) {
            case F32, F16, BF16 -> Float.toString(floatAtAs(i, "toString"));
            case F64 -> Double.toString(data.get(DOUBLE, i * 8));
            case I32 -> Integer.toString(data.get(INT, i * 4));
            case I64 -> Long.toString(data.get(LONG, i * 8));
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, i) != 0 ? "true" : "false";
        };
    }
}
