package dev.modelc.codegen.testing;

import dev.modelc.check.DType;
import dev.modelc.runtime.Tensor;
import java.util.List;

/**
 * Nineteen elements of each dtype (two vectors of 8 and a tail of 3), with the awkward values:
 * NaN, signed zeros, infinities, a subnormal, huge values, integer extremes.
 */
public final class Samples {
    private Samples() {}

    /** The element types of Loop IR, which the samples cover. */
    public static final List<DType> TYPES = List.of(DType.F32, DType.F64, DType.I32, DType.I64, DType.BOOL);

    public static final int N = 19;

    public static Object first(DType t) {
        return switch (t) {
            case F32 -> new float[] {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, -1, 0.5f, -2.5f, 3.7f,
                1e-40f, 1e30f, -1e30f, 2, 100, -100, 0.1f, 7, -7.25f};
            case F64 -> new double[] {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 0.5, -2.5, 3.7,
                1e-310, 1e300, -1e300, 2, 100, -100, 0.1, 7, -7.25};
            case I32 -> new int[] {0, 1, -1, 2, -2, 7, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, 100, -100, 3, 5, 12, -13, 65536, 46341,
                -46341, 31};
            case I64 -> new long[] {0, 1, -1, 2, -2, 7, -7, Long.MIN_VALUE, Long.MAX_VALUE, 100, -100, 3, 5, 12, -13, 1L << 32,
                3037000500L, -3037000500L, 63};
            case BOOL -> new boolean[] {true, false, true, true, false, false, true, false, true, false, true, true, false, false, true,
                true, false, true, false};
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** A second operand: no integer zeros (integer division by zero fails in both, differently). */
    public static Object second(DType t) {
        return switch (t) {
            case F32 -> new float[] {2, Float.NaN, -0f, 3, 0.5f, Float.NEGATIVE_INFINITY, 0f, 1, 2.5f, -3.7f, 7, -1, 1e30f, -0.25f,
                0.1f, 100, Float.POSITIVE_INFINITY, -7, 1e-40f};
            case F64 -> new double[] {2, Double.NaN, -0.0, 3, 0.5, Double.NEGATIVE_INFINITY, 0.0, 1, 2.5, -3.7, 7, -1, 1e300, -0.25,
                0.1, 100, Double.POSITIVE_INFINITY, -7, 1e-310};
            case I32 -> new int[] {3, -1, 2, -5, 7, 2, 3, -1, 2, 9, -4, 31, 1, -2, 6, 65536, 46341, 11, -3};
            case I64 -> new long[] {3, -1, 2, -5, 7, 2, 3, -1, 2, 9, -4, 63, 1, -2, 6, 1L << 32, 3037000500L, 11, -3};
            case BOOL -> new boolean[] {true, true, false, true, false, true, false, false, true, true, false, true, false, true, true,
                false, false, true, true};
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Exponents for integer pow: non-negative (a negative one fails in both). */
    public static Object exponents(DType t) {
        return switch (t) {
            case I32 -> new int[] {0, 1, 2, 3, 31, 5, 30, 1, 2, 9, 4, 0, 1, 2, 6, 3, 2, 11, 7};
            case I64 -> new long[] {0, 1, 2, 3, 63, 5, 62, 1, 2, 9, 4, 0, 1, 2, 6, 3, 2, 11, 7};
            default -> second(t);
        };
    }

    /** A one-dimensional tensor of a primitive array. */
    public static Tensor tensor(Object values) {
        return switch (values) {
            case float[] f -> Tensor.of(f, f.length);
            case double[] d -> Tensor.of(d, d.length);
            case int[] v -> Tensor.of(v, v.length);
            case long[] v -> Tensor.of(v, v.length);
            case boolean[] z -> Tensor.of(z, z.length);
            default -> throw new IllegalArgumentException("not an array: " + values);
        };
    }
}
