package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.runtime.Tensor;

/**
 * A tensor while the interpreter runs: element type, concrete shape and the elements in C order
 * in a plain Java array. Floats are held as doubles and integers as longs so that each kernel is
 * written once per kind; the factories restore the narrow type's behaviour (f32 values rounded to
 * float, i32 values wrapped to 32 bits), so every value in a {@code Floats} of f32 is a float and
 * every value in an {@code Ints} of i32 is an int. Arrays are never changed after a value is made.
 */
sealed interface Value permits Value.Floats, Value.Ints, Value.Bools {

    DType dtype();

    int[] dims();

    default int size() { return Dims.size(dims()); }

    /** f32 or f64 elements. Construct through {@link #floats} so that f32 values get rounded. */
    record Floats(DType dtype, int[] dims, double[] data) implements Value {}

    /** i32 or i64 elements. Construct through {@link #ints} so that i32 values get wrapped. */
    record Ints(DType dtype, int[] dims, long[] data) implements Value {}

    record Bools(int[] dims, boolean[] data) implements Value {
        @Override
        public DType dtype() { return DType.BOOL; }
    }

    /** Takes ownership of {@code data}, rounding it in place to float when {@code dtype} is f32. */
    static Floats floats(DType dtype, int[] dims, double[] data) {
        if (!dtype.isFloat()) throw new IllegalArgumentException(dtype + " is not a float type");
        if (dtype == DType.F32) for (int i = 0; i < data.length; i++) data[i] = (float) data[i];
        return new Floats(dtype, dims, data);
    }

    /** Takes ownership of {@code data}, wrapping it in place to 32 bits when {@code dtype} is i32. */
    static Ints ints(DType dtype, int[] dims, long[] data) {
        if (!dtype.isInt()) throw new IllegalArgumentException(dtype + " is not an integer type");
        if (dtype == DType.I32) for (int i = 0; i < data.length; i++) data[i] = (int) data[i];
        return new Ints(dtype, dims, data);
    }

    /** The same elements under another shape of equal size (the arrays are shared, being immutable). */
    default Value withDims(int[] newDims) {
        return switch (this) {
            case Floats f -> new Floats(f.dtype(), newDims, f.data());
            case Ints i -> new Ints(i.dtype(), newDims, i.data());
            case Bools b -> new Bools(newDims, b.data());
        };
    }

    /**
     * Element {@code i} of the result is element {@code from[i]} of this value, or zero (false)
     * where {@code from[i]} is negative. Every layout change (broadcast, transpose, slice, pad) is
     * one of these.
     */
    default Value gather(int[] newDims, int[] from) {
        int n = from.length;
        return switch (this) {
            case Floats f -> {
                double[] src = f.data(), out = new double[n];
                for (int i = 0; i < n; i++) out[i] = from[i] < 0 ? 0.0 : src[from[i]];
                yield new Floats(f.dtype(), newDims, out);
            }
            case Ints v -> {
                long[] src = v.data(), out = new long[n];
                for (int i = 0; i < n; i++) out[i] = from[i] < 0 ? 0L : src[from[i]];
                yield new Ints(v.dtype(), newDims, out);
            }
            case Bools b -> {
                boolean[] src = b.data(), out = new boolean[n];
                for (int i = 0; i < n; i++) out[i] = from[i] >= 0 && src[from[i]];
                yield new Bools(newDims, out);
            }
        };
    }

    /** The backing array (double[], long[] or boolean[]), for copies that do not care about the kind. */
    default Object array() {
        return switch (this) {
            case Floats f -> f.data();
            case Ints i -> i.data();
            case Bools b -> b.data();
        };
    }

    /** Zeros (false) of the given element type and shape. */
    static Value zeros(DType dtype, int[] dims) {
        int n = Dims.size(dims);
        return switch (dtype.kind) {
            case FLOAT -> new Floats(dtype, dims, new double[n]);
            case INT -> new Ints(dtype, dims, new long[n]);
            case BOOL -> new Bools(dims, new boolean[n]);
        };
    }

    // ---- to and from runtime tensors ----

    static dev.modelc.runtime.DType runtimeType(DType t) {
        return t.toRuntime();
    }

    /** The language's spelling of a runtime element type, for messages. */
    static String spelling(dev.modelc.runtime.DType t) {
        return switch (t) {
            case F32 -> "f32";
            case F64 -> "f64";
            case I32 -> "i32";
            case I64 -> "i64";
            case BOOL -> "bool";
            case F16 -> "f16";
            case BF16 -> "bf16";
        };
    }

    /** Reads a tensor whose element type is already known to be {@code dtype}. */
    static Value fromTensor(Tensor t, DType dtype) {
        int[] dims = Dims.fromLongs(t.shape());
        return switch (dtype.kind) {
            case FLOAT -> new Floats(dtype, dims, t.toDoubleArray());
            case INT -> new Ints(dtype, dims, t.toLongArray());
            case BOOL -> new Bools(dims, t.toBooleanArray());
        };
    }

    default Tensor toTensor() {
        long[] shape = Dims.toLongs(dims());
        return switch (this) {
            case Floats f when f.dtype() == DType.F32 -> {
                float[] out = new float[f.data().length];
                for (int i = 0; i < out.length; i++) out[i] = (float) f.data()[i];
                yield Tensor.of(out, shape);
            }
            case Floats f -> Tensor.of(f.data(), shape);
            case Ints v when v.dtype() == DType.I32 -> {
                int[] out = new int[v.data().length];
                for (int i = 0; i < out.length; i++) out[i] = (int) v.data()[i];
                yield Tensor.of(out, shape);
            }
            case Ints v -> Tensor.of(v.data(), shape);
            case Bools b -> Tensor.of(b.data(), shape);
        };
    }

    default String describe() { return Dims.typeString(dtype().spelling, dims()); }
}
