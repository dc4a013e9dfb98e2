package dev.modelc.runtime.data;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable buffer of elements of one feedable dtype, appended one value at a time and then
 * made into a {@link Tensor}. Loaders convert values as they read them into it, so a dataset is
 * held in its target dtype rather than first as doubles.
 */
final class ElementBuffer {
    /** The largest Java array: one tensor is read into one. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private byte[] bytes;
    private MemorySegment view;
    private long size;

    /** {@code expected} elements fit without growing; callers have checked it against the input's size. */
    ElementBuffer(DType dtype, long expected) {
        this.dtype = dtype;
        this.bytes = new byte[(int) Math.min(MAX_BYTES, Math.max(16, expected * dtype.byteSize()))];
        this.view = MemorySegment.ofArray(bytes);
    }

    /** Appends a number to a float32 or float64 buffer, rounded to its precision. */
    void addDouble(double value) {
        long at = reserve();
        switch (dtype) {
            case F32 -> view.set(FLOAT, at, (float) value);
            case F64 -> view.set(DOUBLE, at, value);
            default -> throw new IllegalStateException("addDouble on a " + dtype + " buffer");
        }
    }

    /**
     * Appends a whole number: exactly for integer and bool buffers, rounded for float ones.
     *
     * @throws IllegalArgumentException if it does not fit (out of int32 range, or a bool other
     *     than 0 or 1); the message says why
     */
    void addLong(long value) {
        if (dtype == DType.I32 && value != (int) value) {
            throw new IllegalArgumentException(value + " is out of range for int32");
        }
        if (dtype == DType.BOOL && value != 0 && value != 1) {
            throw new IllegalArgumentException(value + " is not a bool (0 or 1)");
        }
        long at = reserve();
        switch (dtype) {
            case F32 -> view.set(FLOAT, at, (float) value);
            case F64 -> view.set(DOUBLE, at, (double) value);
            case I32 -> view.set(INT, at, (int) value);
            case I64 -> view.set(LONG, at, value);
            case BOOL -> view.set(ValueLayout.JAVA_BYTE, at, (byte) value);
            default -> throw new IllegalStateException("addLong on a " + dtype + " buffer");
        }
    }

    long size() {
        return size;
    }

    /** The elements appended so far, as a tensor of {@code shape} (which must hold exactly them). */
    Tensor toTensor(long... shape) {
        return Tensor.fromBytes(dtype, shape, view.asSlice(0, size * dtype.byteSize()), ByteOrder.LITTLE_ENDIAN);
    }

    /** Room for one more element; returns its byte offset. */
    private long reserve() {
        long at = size * dtype.byteSize();
        long needed = at + dtype.byteSize();
        if (needed > bytes.length) {
            if (needed > MAX_BYTES) {
                throw new IllegalArgumentException("more than " + MAX_BYTES + " bytes of " + dtype
                        + " values for one tensor; the loader holds at most that");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_BYTES, Math.max(needed, 2L * bytes.length)));
            view = MemorySegment.ofArray(bytes);
        }
        size++;
        return at;
    }
}
