package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.interp.Value.Bools;
import dev.modelc.interp.Value.Floats;
import dev.modelc.interp.Value.Ints;
import dev.modelc.runtime.jvm.ElementMath;
import dev.modelc.runtime.jvm.Erf;

/**
 * Elementwise ops: unary functions, binary arithmetic, comparisons and logic, select, convert.
 * The scalar functions are public so that the Loop IR evaluator computes elements exactly as the
 * interpreter does; functions longer than a JDK call live in the runtime's {@link ElementMath},
 * which compiled code calls too.
 */
public final class Elementwise {
    private Elementwise() {}

    // ---- unary ----

    static Value unary(UnaryFn fn, Value x) {
        return switch (x) {
            case Floats f -> {
                double[] in = f.data(), out = new double[in.length];
                for (int i = 0; i < in.length; i++) out[i] = unaryFloat(fn, in[i]);
                yield Value.floats(f.dtype(), f.dims(), out);
            }
            case Ints v -> {
                long[] in = v.data(), out = new long[in.length];
                for (int i = 0; i < in.length; i++) out[i] = unaryInt(fn, in[i]);
                yield Value.ints(v.dtype(), v.dims(), out);
            }
            case Bools b -> {
                if (fn != UnaryFn.NOT) throw new InterpreterException(fn.mnemonic() + " is not defined on bool");
                boolean[] in = b.data(), out = new boolean[in.length];
                for (int i = 0; i < in.length; i++) out[i] = !in[i];
                yield new Bools(b.dims(), out);
            }
        };
    }

    public static double unaryFloat(UnaryFn fn, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SQUARE -> x * x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> ElementMath.sigmoid(x);
            case SOFTPLUS -> ElementMath.softplus(x);
            case RELU -> Math.max(x, 0.0); // NaN stays NaN, -0 becomes +0, as in PyTorch
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case ERF -> Erf.erf(x);
            case GELU -> ElementMath.gelu(x);
            case NOT -> throw new InterpreterException("not is defined on bool only");
        };
    }

    public static long unaryInt(UnaryFn fn, long x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND -> x;
            default -> throw new InterpreterException(fn.mnemonic() + " needs a float operand");
        };
    }

    // ---- binary ----

    static Value binary(BinaryFn fn, Value a, Value b) {
        if (a.dtype() != b.dtype()) throw new InterpreterException(fn.mnemonic() + ": operands differ: " + a.describe() + " and " + b.describe());
        requireSameDims(fn.mnemonic(), a, b);
        if (fn.isComparison()) return compare(fn, a, b);
        return switch (a) {
            case Floats x -> {
                double[] p = x.data(), q = ((Floats) b).data(), out = new double[p.length];
                for (int i = 0; i < p.length; i++) out[i] = binaryFloat(fn, p[i], q[i]);
                yield Value.floats(x.dtype(), x.dims(), out);
            }
            case Ints x -> {
                long[] p = x.data(), q = ((Ints) b).data(), out = new long[p.length];
                for (int i = 0; i < p.length; i++) out[i] = binaryInt(fn, p[i], q[i]);
                yield Value.ints(x.dtype(), x.dims(), out);
            }
            case Bools x -> {
                boolean[] p = x.data(), q = ((Bools) b).data(), out = new boolean[p.length];
                for (int i = 0; i < p.length; i++) {
                    out[i] = switch (fn) {
                        case AND -> p[i] && q[i];
                        case OR -> p[i] || q[i];
                        default -> throw new InterpreterException(fn.mnemonic() + " is not defined on bool");
                    };
                }
                yield new Bools(x.dims(), out);
            }
        };
    }

    public static double binaryFloat(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> ElementMath.pow(a, b);
            case MOD -> ElementMath.mod(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> throw new InterpreterException(fn.mnemonic() + " is not defined on floats");
        };
    }

    public static long binaryInt(BinaryFn fn, long a, long b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) throw new InterpreterException("integer division by zero");
                yield Math.floorDiv(a, b);
            }
            case MOD -> {
                if (b == 0) throw new InterpreterException("integer modulo by zero");
                yield Math.floorMod(a, b);
            }
            case POW -> powInt(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> throw new InterpreterException(fn.mnemonic() + " is not defined on integers");
        };
    }

    /** Exponentiation by squaring with wrap-around; a negative exponent is the user's error. */
    static long powInt(long base, long exponent) {
        if (exponent < 0) throw new InterpreterException("integer " + base + " to the negative power " + exponent);
        return ElementMath.powInt(base, exponent);
    }

    private static Bools compare(BinaryFn fn, Value a, Value b) {
        int n = a.size();
        boolean[] out = new boolean[n];
        switch (a) {
            case Floats x -> {
                double[] p = x.data(), q = ((Floats) b).data();
                for (int i = 0; i < n; i++) out[i] = compareFloat(fn, p[i], q[i]);
            }
            case Ints x -> {
                long[] p = x.data(), q = ((Ints) b).data();
                for (int i = 0; i < n; i++) out[i] = compareLong(fn, Long.compare(p[i], q[i]));
            }
            case Bools x -> {
                boolean[] p = x.data(), q = ((Bools) b).data();
                for (int i = 0; i < n; i++) out[i] = compareLong(fn, Boolean.compare(p[i], q[i]));
            }
        }
        return new Bools(a.dims(), out);
    }

    /** IEEE comparisons: every one with a NaN is false except {@code !=}. */
    public static boolean compareFloat(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case EQ -> a == b;
            case NE -> a != b;
            default -> throw new IllegalArgumentException(fn.toString());
        };
    }

    public static boolean compareLong(BinaryFn fn, int c) {
        return switch (fn) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            case EQ -> c == 0;
            case NE -> c != 0;
            default -> throw new IllegalArgumentException(fn.toString());
        };
    }

    // ---- select and convert ----

    static Value select(Value condition, Value a, Value b) {
        if (!(condition instanceof Bools c)) throw new InterpreterException("select needs a bool condition, got " + condition.describe());
        if (a.dtype() != b.dtype()) throw new InterpreterException("select: branches differ: " + a.describe() + " and " + b.describe());
        requireSameDims("select", c, a);
        requireSameDims("select", a, b);
        boolean[] cs = c.data();
        int n = cs.length;
        return switch (a) {
            case Floats x -> {
                double[] p = x.data(), q = ((Floats) b).data(), out = new double[n];
                for (int i = 0; i < n; i++) out[i] = cs[i] ? p[i] : q[i];
                yield new Floats(x.dtype(), x.dims(), out);
            }
            case Ints x -> {
                long[] p = x.data(), q = ((Ints) b).data(), out = new long[n];
                for (int i = 0; i < n; i++) out[i] = cs[i] ? p[i] : q[i];
                yield new Ints(x.dtype(), x.dims(), out);
            }
            case Bools x -> {
                boolean[] p = x.data(), q = ((Bools) b).data(), out = new boolean[n];
                for (int i = 0; i < n; i++) out[i] = cs[i] ? p[i] : q[i];
                yield new Bools(x.dims(), out);
            }
        };
    }

    /**
     * To {@code to}: float to integer truncates toward zero with Java's cast (NaN to 0, out of
     * range saturating at the target's bounds), numbers to bool are {@code != 0}, bool to numbers
     * 0 and 1, wider integers wrap into narrower ones.
     */
    static Value convert(Value x, DType to) {
        int n = x.size();
        int[] dims = x.dims();
        return switch (to.kind) {
            case FLOAT -> {
                double[] out = new double[n];
                switch (x) {
                    case Floats f -> System.arraycopy(f.data(), 0, out, 0, n);
                    case Ints v -> { for (int i = 0; i < n; i++) out[i] = intToFloat(v.data()[i], to); }
                    case Bools b -> { for (int i = 0; i < n; i++) out[i] = b.data()[i] ? 1 : 0; }
                }
                yield Value.floats(to, dims, out);
            }
            case INT -> {
                long[] out = new long[n];
                switch (x) {
                    case Floats f -> { for (int i = 0; i < n; i++) out[i] = floatToInt(f.data()[i], to); }
                    case Ints v -> System.arraycopy(v.data(), 0, out, 0, n);
                    case Bools b -> { for (int i = 0; i < n; i++) out[i] = b.data()[i] ? 1 : 0; }
                }
                yield Value.ints(to, dims, out);
            }
            case BOOL -> {
                boolean[] out = new boolean[n];
                switch (x) {
                    case Floats f -> { for (int i = 0; i < n; i++) out[i] = f.data()[i] != 0; }
                    case Ints v -> { for (int i = 0; i < n; i++) out[i] = v.data()[i] != 0; }
                    case Bools b -> System.arraycopy(b.data(), 0, out, 0, n);
                }
                yield new Bools(dims, out);
            }
        };
    }

    /** An integer as float type {@code to}: {@code (float)} of the long directly, since going through double could round twice. */
    public static double intToFloat(long x, DType to) {
        return to == DType.F32 ? (float) x : (double) x;
    }

    /** A float as integer type {@code to}: Java's cast, truncating toward zero, NaN to 0, saturating. */
    public static long floatToInt(double x, DType to) {
        return to == DType.I32 ? (int) x : (long) x;
    }

    static void requireSameDims(String op, Value a, Value b) {
        if (!java.util.Arrays.equals(a.dims(), b.dims())) {
            throw new InterpreterException(op + ": operand shapes differ: " + a.describe() + " and " + b.describe());
        }
    }
}
