package dev.modelc.runtime.data;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * What one model input takes from a dataset, per sample: its name (for messages), its element
 * type and its shape without the batch axis, e.g. {@code x: f32[B, 28, 28, 1]} is
 * {@code ("x", F32, 28, 28, 1)} and {@code y: i32[B]} is {@code ("y", I32)}.
 */
public record FeatureSpec(String name, DType dtype, long... shape) {
    /** The types a dataset can feed; float16 and bfloat16 are reserved (docs/language.md section 3). */
    private static final Set<DType> FEEDABLE = Set.of(DType.F32, DType.F64, DType.I32, DType.I64, DType.BOOL);

    public FeatureSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        Tensor.elementCountOf(shape); // rejects negative and overflowing shapes
        if (!FEEDABLE.contains(dtype)) {
            throw new IllegalArgumentException("input '" + name + "' is " + dtype + ", which datasets cannot feed");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Values per sample. */
    public long elementCount() {
        return Tensor.elementCountOf(shape);
    }

    /** The shape of {@code n} samples: {@code [n, shape...]}. */
    long[] batchShape(long n) {
        long[] dims = new long[shape.length + 1];
        dims[0] = n;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return dims;
    }

    /** For messages: {@code input 'x' (float32, (28, 28, 1))}. */
    String describe() {
        return "input '" + name + "' (" + dtype + ", " + Tensor.formatShape(shape) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpec s && name.equals(s.name) && dtype == s.dtype && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "FeatureSpec[" + name + ": " + dtype + " " + Tensor.formatShape(shape) + "]";
    }
}
