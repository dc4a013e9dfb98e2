package dev.modelc.runtime.init;

import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates the initial value of a {@code param} or {@code const} from its initialiser.
 *
 * <p>Random draws are keyed by the seed and the parameter's name:
 * {@code key = mix(seed ^ hash(name))} ({@link CounterRandom#hash}), and element {@code i} in C
 * order is drawn at index {@code i}. So a parameter's values depend only on its own spec,
 * dtype, shape, name and the seed: not on declaration order or on other parameters. Draws are
 * computed in double and rounded once to the dtype; random kinds fill float32 and float64
 * only, while {@code zeros}, {@code ones} and {@code constant} also fill int32, int64 and bool
 * (for {@code const}) when the value is exactly representable. float16 and bfloat16 are
 * reserved types the runtime does not initialise.
 */
public final class Initializers {
    /** The largest Java array; parameters are built through one. */
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Initializers() {}

    /** Deterministic: depends only on (spec, dtype, shape, seed, name). */
    public static Tensor create(InitSpec spec, DType dtype, long[] shape, long seed, String paramName) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(paramName, "paramName");
        long count = Tensor.elementCountOf(shape);
        if (count > MAX_ELEMENTS) {
            throw new IllegalArgumentException("cannot initialise '" + paramName + "': " + count
                    + " elements exceed the " + MAX_ELEMENTS + " the runtime initialises at once");
        }
        if (dtype == DType.F16 || dtype == DType.BF16) {
            throw new IllegalArgumentException(spec + " cannot initialise '" + paramName + "': " + dtype
                    + " is reserved and the runtime does not initialise it");
        }
        return switch (spec.kind()) {
            case "zeros" -> filled(0.0, spec, dtype, shape, (int) count, paramName);
            case "ones" -> filled(1.0, spec, dtype, shape, (int) count, paramName);
            case "constant" -> filled(spec.number("value"), spec, dtype, shape, (int) count, paramName);
            default -> drawn(Distribution.of(spec, shape), spec, dtype, shape, (int) count, paramName, seed);
        };
    }

    /** The key of a parameter's draws. */
    static long key(long seed, String paramName) {
        return CounterRandom.mix(seed ^ CounterRandom.hash(paramName));
    }

    private static Tensor drawn(Distribution d, InitSpec spec, DType dtype, long[] shape, int n, String name, long seed) {
        long key = key(seed, name);
        switch (dtype) {
            case F32 -> {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = d.sampleFloat(key, i);
                }
                return Tensor.of(values, shape);
            }
            case F64 -> {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = d.sample(key, i);
                }
                return Tensor.of(values, shape);
            }
            default -> throw new IllegalArgumentException(spec + " draws random floats, but '" + name + "' is "
                    + dtype + "; it needs float32 or float64");
        }
    }

    private static Tensor filled(double value, InitSpec spec, DType dtype, long[] shape, int n, String name) {
        switch (dtype) {
            case F32 -> {
                float[] values = new float[n];
                Arrays.fill(values, (float) value);
                return Tensor.of(values, shape);
            }
            case F64 -> {
                double[] values = new double[n];
                Arrays.fill(values, value);
                return Tensor.of(values, shape);
            }
            case I32 -> {
                int[] values = new int[n];
                Arrays.fill(values, (int) exactly(value, Integer.MIN_VALUE, Integer.MAX_VALUE, spec, dtype, name));
                return Tensor.of(values, shape);
            }
            case I64 -> {
                long[] values = new long[n];
                Arrays.fill(values, exactly(value, Long.MIN_VALUE, Long.MAX_VALUE, spec, dtype, name));
                return Tensor.of(values, shape);
            }
            case BOOL -> {
                boolean[] values = new boolean[n];
                Arrays.fill(values, exactly(value, 0, 1, spec, dtype, name) == 1);
                return Tensor.of(values, shape);
            }
            default -> throw new AssertionError(dtype); // F16 and BF16 are refused in create
        }
    }

    /** {@code value} as a whole number in {@code [min, max]}, or an error saying why it is not. */
    private static long exactly(double value, long min, long max, InitSpec spec, DType dtype, String name) {
        // (double) max may round up past max (2^63 for Long.MAX_VALUE), hence the strict test there.
        boolean inRange = value >= min && (max == Long.MAX_VALUE ? value < 0x1p63 : value <= max);
        if (value != Math.rint(value) || !inRange) {
            throw new IllegalArgumentException(spec + " cannot fill '" + name + "' of type " + dtype + ": "
                    + value + (dtype == DType.BOOL ? " is neither 0 nor 1" : " is not a whole number in its range"));
        }
        return (long) value;
    }
}
