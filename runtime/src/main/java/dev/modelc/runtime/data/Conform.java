package dev.modelc.runtime.data;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.TensorFormatException;
import java.util.Arrays;

/**
 * Fits an array read from a dataset file, {@code [N, ...]}, to a model input: the samples must
 * hold as many values as the input takes per sample (they are then reshaped in C order), and
 * the element type must convert without surprises.
 *
 * <p>Conversions: float to float (rounded), integer to integer (each value must fit), integer or
 * bool to float, bool to integer. Float to integer is refused, since it would silently drop
 * fractions, and so is anything but bool to bool.
 */
final class Conform {
    private Conform() {}

    static Tensor toSpec(Tensor raw, FeatureSpec spec, String source) throws TensorFormatException {
        if (raw.rank() == 0) {
            throw new TensorFormatException(source, "holds a scalar; its first axis must count the samples");
        }
        long[] shape = raw.shape();
        checkSample(Arrays.copyOfRange(shape, 1, shape.length), spec, source);
        return cast(raw, spec, source).reshape(spec.batchShape(shape[0]));
    }

    /** Fails unless a sample of {@code sampleShape} holds exactly the values {@code spec} takes. */
    static void checkSample(long[] sampleShape, FeatureSpec spec, String source) throws TensorFormatException {
        long found = Tensor.elementCountOf(sampleShape);
        if (found != spec.elementCount()) {
            throw new TensorFormatException(source, "each sample is " + Tensor.formatShape(sampleShape) + " = " + found
                    + " values, but " + spec.describe() + " takes " + spec.elementCount() + " per sample");
        }
    }

    private enum Kind { FLOAT, INT, BOOL }

    private static Kind kind(DType t) {
        return switch (t) {
            case F32, F64, F16, BF16 -> Kind.FLOAT;
            case I32, I64 -> Kind.INT;
            case BOOL -> Kind.BOOL;
        };
    }

    private static Tensor cast(Tensor raw, FeatureSpec spec, String source) throws TensorFormatException {
        DType to = spec.dtype();
        if (raw.dtype() == to) {
            return raw;
        }
        Kind from = kind(raw.dtype());
        if ((from == Kind.FLOAT && kind(to) != Kind.FLOAT) || (from != Kind.BOOL && to == DType.BOOL)) {
            throw new TensorFormatException(source, "holds " + raw.dtype() + " values, which cannot feed "
                    + spec.describe() + "; save the array as " + to + " (numpy: a.astype('" + to + "'))");
        }
        ElementBuffer out = new ElementBuffer(to, raw.elementCount());
        switch (from) {
            case FLOAT -> {
                for (double v : raw.toDoubleArray()) {
                    out.addDouble(v);
                }
            }
            case INT -> {
                long[] values = raw.toLongArray();
                for (int i = 0; i < values.length; i++) {
                    try {
                        out.addLong(values[i]);
                    } catch (IllegalArgumentException e) {
                        throw new TensorFormatException(source, "element " + i + ": " + e.getMessage() + " (for "
                                + spec.describe() + ")");
                    }
                }
            }
            case BOOL -> {
                for (boolean b : raw.toBooleanArray()) {
                    out.addLong(b ? 1 : 0);
                }
            }
        }
        return out.toTensor(raw.shape());
    }
}
