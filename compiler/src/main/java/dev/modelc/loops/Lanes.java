package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.interp.Elementwise;
import dev.modelc.interp.InterpreterException;

/**
 * Element arithmetic for {@link LoopEvaluator} on values held as lane arrays: {@code double[]}
 * for f32/f64 (f32 lanes always hold float values), {@code long[]} for i32/i64 (i32 lanes always
 * hold int values) and indices, {@code boolean[]} for bool; a scalar is one lane. The element
 * functions are the interpreter's ({@link Elementwise}); an index behaves as an i64.
 */
final class Lanes {
    private Lanes() {}

    static int count(Object lanes) {
        return switch (lanes) {
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            default -> throw new IllegalArgumentException("not a lane array: " + lanes);
        };
    }

    /** A value of {@code type} whose every lane is lane 0 of the scalar {@code s}. */
    static Object splat(Object s, int lanes) {
        return switch (s) {
            case double[] d -> filled(new double[lanes], d[0]);
            case long[] l -> { long[] r = new long[lanes]; java.util.Arrays.fill(r, l[0]); yield r; }
            case boolean[] b -> { boolean[] r = new boolean[lanes]; java.util.Arrays.fill(r, b[0]); yield r; }
            default -> throw new IllegalArgumentException("not a lane array: " + s);
        };
    }

    private static double[] filled(double[] a, double v) {
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Rounds a float result to the element type (f32 lanes hold floats). */
    static double round(double x, DType t) { return t == DType.F32 ? (float) x : x; }

    /** Wraps an integer result to the element type (i32 lanes hold ints); null is an index. */
    static long wrap(long x, DType t) { return t == DType.I32 ? (int) x : x; }

    static Object unary(UnaryFn fn, Object a, LType type) {
        DType t = type.dtype();
        return switch (a) {
            case double[] x -> {
                double[] r = new double[x.length];
                for (int i = 0; i < r.length; i++) r[i] = round(Elementwise.unaryFloat(fn, x[i]), t);
                yield r;
            }
            case long[] x -> {
                long[] r = new long[x.length];
                for (int i = 0; i < r.length; i++) r[i] = wrap(Elementwise.unaryInt(fn, x[i]), t);
                yield r;
            }
            case boolean[] x -> {
                if (fn != UnaryFn.NOT) throw new InterpreterException(fn.mnemonic() + " is not defined on bool");
                boolean[] r = new boolean[x.length];
                for (int i = 0; i < r.length; i++) r[i] = !x[i];
                yield r;
            }
            default -> throw new IllegalArgumentException("not a lane array: " + a);
        };
    }

    /** {@code a fn b} lane by lane; {@code t} is the operands' element type (null for indices). */
    static Object binary(BinaryFn fn, Object a, Object b, DType t) {
        int n = count(a);
        if (count(b) != n) throw new IllegalArgumentException(fn.mnemonic() + ": operands have " + n + " and " + count(b) + " lanes");
        if (fn.isComparison()) {
            boolean[] r = new boolean[n];
            for (int i = 0; i < n; i++) r[i] = compare(fn, a, b, i);
            return r;
        }
        return switch (a) {
            case double[] x -> {
                double[] y = (double[]) b, r = new double[n];
                for (int i = 0; i < n; i++) r[i] = round(Elementwise.binaryFloat(fn, x[i], y[i]), t);
                yield r;
            }
            case long[] x -> {
                long[] y = (long[]) b, r = new long[n];
                for (int i = 0; i < n; i++) r[i] = wrap(Elementwise.binaryInt(fn, x[i], y[i]), t);
                yield r;
            }
            case boolean[] x -> {
                boolean[] y = (boolean[]) b, r = new boolean[n];
                for (int i = 0; i < n; i++) {
                    r[i] = switch (fn) {
                        case AND -> x[i] && y[i];
                        case OR -> x[i] || y[i];
                        default -> throw new InterpreterException(fn.mnemonic() + " is not defined on bool");
                    };
                }
                yield r;
            }
            default -> throw new IllegalArgumentException("not a lane array: " + a);
        };
    }

    private static boolean compare(BinaryFn fn, Object a, Object b, int i) {
        return switch (a) {
            case double[] x -> Elementwise.compareFloat(fn, x[i], ((double[]) b)[i]);
            case long[] x -> Elementwise.compareLong(fn, Long.compare(x[i], ((long[]) b)[i]));
            case boolean[] x -> Elementwise.compareLong(fn, Boolean.compare(x[i], ((boolean[]) b)[i]));
            default -> throw new IllegalArgumentException("not a lane array: " + a);
        };
    }

    /** The lanes of {@code v} folded left to right with {@code fn} (lane 0 first), in its element type. */
    static Object reduce(BinaryFn fn, Object v, DType t) {
        int n = count(v);
        Object acc = slice(v, 0);
        for (int i = 1; i < n; i++) acc = binary(fn, acc, slice(v, i), t);
        return acc;
    }

    private static Object slice(Object v, int i) {
        return switch (v) {
            case double[] d -> new double[] {d[i]};
            case long[] l -> new long[] {l[i]};
            case boolean[] b -> new boolean[] {b[i]};
            default -> throw new IllegalArgumentException("not a lane array: " + v);
        };
    }

    /** {@code a * b + c} with one rounding for floats (Math.fma in the element type), wrapping for integers. */
    static Object fma(Object a, Object b, Object c, DType t) {
        return switch (c) {
            case double[] z -> {
                double[] x = (double[]) a, y = (double[]) b, r = new double[z.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = t == DType.F32 ? Math.fma((float) x[i], (float) y[i], (float) z[i]) : Math.fma(x[i], y[i], z[i]);
                }
                yield r;
            }
            case long[] z -> {
                long[] x = (long[]) a, y = (long[]) b, r = new long[z.length];
                for (int i = 0; i < r.length; i++) r[i] = wrap(x[i] * y[i] + z[i], t);
                yield r;
            }
            default -> throw new IllegalArgumentException("fma needs numbers, got " + c);
        };
    }

    /** {@code c ? a : b} lane by lane; a one-lane condition chooses whole values. */
    static Object select(boolean[] c, Object a, Object b) {
        if (c.length == 1) return c[0] ? a : b;
        int n = c.length;
        return switch (a) {
            case double[] x -> { double[] y = (double[]) b, r = new double[n]; for (int i = 0; i < n; i++) r[i] = c[i] ? x[i] : y[i]; yield r; }
            case long[] x -> { long[] y = (long[]) b, r = new long[n]; for (int i = 0; i < n; i++) r[i] = c[i] ? x[i] : y[i]; yield r; }
            case boolean[] x -> { boolean[] y = (boolean[]) b, r = new boolean[n]; for (int i = 0; i < n; i++) r[i] = c[i] ? x[i] : y[i]; yield r; }
            default -> throw new IllegalArgumentException("not a lane array: " + a);
        };
    }

    /**
     * Conversion to {@code to} (null for an index), as the interpreter's convert: float to integer
     * truncates with Java's cast (NaN to 0, saturating), integer to f32 rounds once, numbers to
     * bool are {@code != 0}, bool to numbers 0 and 1, wider integers wrap into narrower ones.
     */
    static Object cast(Object a, DType to) {
        int n = count(a);
        DType.Kind kind = to == null ? DType.Kind.INT : to.kind;
        return switch (kind) {
            case FLOAT -> {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = switch (a) {
                        case double[] x -> round(x[i], to);
                        case long[] x -> Elementwise.intToFloat(x[i], to);
                        case boolean[] x -> x[i] ? 1 : 0;
                        default -> throw new IllegalArgumentException("not a lane array: " + a);
                    };
                }
                yield r;
            }
            case INT -> {
                long[] r = new long[n];
                DType target = to == null ? DType.I64 : to;
                for (int i = 0; i < n; i++) {
                    r[i] = switch (a) {
                        case double[] x -> Elementwise.floatToInt(x[i], target);
                        case long[] x -> wrap(x[i], target);
                        case boolean[] x -> x[i] ? 1 : 0;
                        default -> throw new IllegalArgumentException("not a lane array: " + a);
                    };
                }
                yield r;
            }
            case BOOL -> {
                boolean[] r = new boolean[n];
                for (int i = 0; i < n; i++) {
                    r[i] = switch (a) {
                        case double[] x -> x[i] != 0;
                        case long[] x -> x[i] != 0;
                        case boolean[] x -> x[i];
                        default -> throw new IllegalArgumentException("not a lane array: " + a);
                    };
                }
                yield r;
            }
        };
    }
}
