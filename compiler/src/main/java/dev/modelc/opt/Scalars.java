package dev.modelc.opt;

import static java.util.OptionalDouble.empty;
import static java.util.OptionalDouble.of;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.UnaryFn;
import java.math.BigDecimal;
import java.util.OptionalDouble;

/**
 * The arithmetic of one element, for constant folding: the value the reference interpreter
 * computes, or empty wherever a folded value could differ from some evaluation of the graph.
 *
 * <p>Floats are computed in double and rounded once to the element type, as the interpreter holds
 * them; for {@code + - * / sqrt} of f32 operands that is also correctly rounded f32 arithmetic,
 * since double has more than 2*24+2 bits. Integers wrap (i32 to 32 bits) and divide and take
 * remainders with Python's floor rounding; bools are 0 and 1.
 *
 * <p>Left to run time (empty): NaN operands; f16 and bf16, whose rounding no stage defines yet;
 * integer division or remainder by zero (a run-time error) and integers to a negative power;
 * float-to-integer conversion out of the target's range; transcendental functions except at the
 * points where the result is exact (Java lets {@code Math.exp} differ from {@code StrictMath.exp}
 * by an ulp, and native backends use their own libm, so a folded {@code exp(0.5)} would pin one
 * implementation's rounding); {@code pow} except where Java's specification fixes the result
 * (integer operands with a result that is exactly a double); reductions whose partial results are
 * not all exact in the element type (their value would depend on the order of accumulation).
 */
final class Scalars {
    private Scalars() {}

    /** The element that a {@code constant} attribute {@code v} denotes in type {@code d}, if we fold that type. */
    static OptionalDouble value(double v, DType d) {
        return switch (d) {
            case BOOL -> v == 0 || v == 1 ? of(v) : empty();
            case I32 -> v == Math.rint(v) && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? of(v) : empty();
            case I64 -> v == Math.rint(v) && v >= -0x1p63 && v < 0x1p63 ? of(v) : empty();
            case F32 -> Double.isNaN(v) ? empty() : of((float) v);
            case F64 -> Double.isNaN(v) ? empty() : of(v);
            case F16, BF16 -> empty();
        };
    }

    static OptionalDouble unary(UnaryFn fn, double x, DType d) {
        return switch (d.kind) {
            case BOOL -> fn == UnaryFn.NOT ? bool(x == 0) : empty();
            case INT -> {
                long v = (long) x;
                Long r = switch (fn) {
                    case NEG -> -v;
                    case ABS -> Math.abs(v);
                    case SIGN -> (long) Long.signum(v);
                    case SQUARE -> v * v;
                    case RELU -> Math.max(v, 0);
                    case FLOOR, CEIL, ROUND -> v;
                    default -> null;
                };
                yield r == null ? empty() : integer(r, d);
            }
            case FLOAT -> {
                Double r = floatUnary(fn, x);
                yield r == null ? empty() : real(r, d);
            }
        };
    }

    private static Double floatUnary(UnaryFn fn, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x); // two correctly rounded IEEE operations: no libm involved
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0.0); // -0 becomes +0, as the interpreter's relu
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x); // half to even
            case EXP, LOG, LOG1P, SIN, COS, TANH, SIGMOID -> exactPoint(fn, x);
            case SOFTPLUS, ERF, GELU, NOT -> null;
        };
    }

    /** A transcendental function only where every implementation gives the exact result, else null. */
    private static Double exactPoint(UnaryFn fn, double x) {
        double inf = Double.POSITIVE_INFINITY;
        if (x == 0) {
            return switch (fn) {
                case EXP, COS -> 1.0;
                case LOG -> -inf;
                case SIGMOID -> 0.5;
                default -> x; // log1p, sin, tanh keep the zero and its sign
            };
        }
        if (Double.isInfinite(x)) {
            return switch (fn) {
                case EXP -> x > 0 ? x : 0.0;
                case LOG, LOG1P -> x > 0 ? x : Double.NaN;
                case SIN, COS -> Double.NaN;
                case TANH -> Math.signum(x);
                default -> null;
            };
        }
        if (fn == UnaryFn.LOG && x == 1) return 0.0;
        if (fn == UnaryFn.LOG && x < 0) return Double.NaN;
        if (fn == UnaryFn.LOG1P && x == -1) return -inf;
        if (fn == UnaryFn.LOG1P && x < -1) return Double.NaN;
        return null;
    }

    /** {@code a fn b} for operands of element type {@code d} (a comparison's result is 0 or 1). */
    static OptionalDouble binary(BinaryFn fn, double a, double b, DType d) {
        if (fn.isComparison()) {
            return bool(switch (fn) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                case EQ -> a == b;
                default -> a != b;
            });
        }
        return switch (d.kind) {
            case BOOL -> fn == BinaryFn.AND ? bool(a != 0 && b != 0) : fn == BinaryFn.OR ? bool(a != 0 || b != 0) : empty();
            case INT -> intBinary(fn, (long) a, (long) b, d);
            case FLOAT -> {
                Double r = switch (fn) {
                    case ADD -> a + b;
                    case SUB -> a - b;
                    case MUL -> a * b;
                    case DIV -> a / b;
                    case POW -> pow(a, b);
                    case MOD -> mod(a, b);
                    case MAX -> Math.max(a, b);
                    case MIN -> Math.min(a, b);
                    default -> null;
                };
                yield r == null ? empty() : real(r, d);
            }
        };
    }

    private static OptionalDouble intBinary(BinaryFn fn, long a, long b, DType d) {
        if ((fn == BinaryFn.DIV || fn == BinaryFn.MOD) && b == 0) return empty(); // fails at run time
        if (fn == BinaryFn.POW && b < 0) return empty();
        Long r = switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> Math.floorDiv(a, b);
            case MOD -> Math.floorMod(a, b);
            case POW -> power(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> null;
        };
        return r == null ? empty() : integer(r, d);
    }

    /** Python's float %: the result takes the divisor's sign, a zero too. */
    private static double mod(double a, double b) {
        double r = a % b;
        if (r == 0) return Math.copySign(0.0, b);
        return (r < 0) != (b < 0) ? r + b : r;
    }

    /**
     * Only where Java fixes {@code Math.pow} exactly: a zero exponent, a base of 1 (the interpreter
     * and C give 1 even for an infinite exponent), an exponent of 1, and integer operands whose
     * power is exactly a double.
     */
    private static Double pow(double a, double b) {
        if (b == 0 || a == 1) return 1.0;
        if (b == 1) return a;
        if (a == 0 || !isInteger(a) || !isInteger(b) || Math.abs(b) > 64) return null;
        BigDecimal p = new BigDecimal(a).pow((int) Math.abs(b));
        double m = p.doubleValue();
        if (Double.isInfinite(m) || new BigDecimal(m).compareTo(p) != 0) return null;
        if (b > 0) return m;
        // 1 / a^n is a double only when a^n is a power of two
        return Math.abs(m) == Math.scalb(1.0, Math.getExponent(m)) ? 1.0 / m : null;
    }

    /** Conversion of element {@code x} from {@code from} to {@code to}, as {@code convert}. */
    static OptionalDouble convert(double x, DType from, DType to) {
        if (from == DType.F16 || from == DType.BF16) return empty();
        return switch (to.kind) {
            case BOOL -> bool(x != 0);
            case FLOAT -> switch (to) {
                // an integer goes to float directly, as in the interpreter: one rounding, not two
                case F32 -> of(from.isFloat() ? (float) x : (float) (long) x);
                case F64 -> of(x);
                default -> empty();
            };
            case INT -> {
                if (!from.isFloat()) yield integer((long) x, to); // wider integers wrap into narrower ones
                double t = x < 0 ? Math.ceil(x) : Math.floor(x); // toward zero
                boolean fits = to == DType.I32 ? t >= Integer.MIN_VALUE && t <= Integer.MAX_VALUE : t >= -0x1p63 && t < 0x1p63;
                yield fits ? integer((long) t, to) : empty();
            }
        };
    }

    /** The value of a dimension {@code c} as a scalar of type {@code d}. */
    static OptionalDouble dimension(long c, DType d) {
        return switch (d.kind) {
            case INT -> integer(c, d);
            case FLOAT -> convert(c, DType.I64, d);
            case BOOL -> empty();
        };
    }

    /**
     * {@code fn} over {@code n} copies of {@code v}. Folded only when every order of accumulation
     * gives the same result: integers wrap (associative), sums and products of floats only when
     * each partial result is exact in the element type; max and min of at least one element.
     */
    static OptionalDouble reduce(ReduceFn fn, double v, long n, DType d) {
        if (n < 0) return empty();
        if (n == 0) {
            return switch (fn) {
                case SUM -> d.kind == DType.Kind.BOOL ? empty() : of(0);
                case PROD -> d.kind == DType.Kind.BOOL ? empty() : of(1);
                case MAX, MIN -> empty(); // the interpreter's -inf or MIN_VALUE is a convention, not a value to bake in
            };
        }
        if (fn == ReduceFn.MAX || fn == ReduceFn.MIN || d.kind == DType.Kind.BOOL) return of(v); // any/all of equal values
        if (d.isInt()) return integer(fn == ReduceFn.SUM ? (long) v * n : power((long) v, n), d);
        if (fn == ReduceFn.SUM) {
            if (v == 0) return of(0.0); // the sum starts from +0.0, so even a sum of -0.0 is +0.0
            if (Double.isInfinite(v)) return of(v);
            int bits = significantBits(v) + (64 - Long.numberOfLeadingZeros(n));
            double s = v * n;
            return bits <= precision(d) && Math.abs(s) <= maxValue(d) ? of(s) : empty();
        }
        // PROD
        if (v == 0 || Double.isInfinite(v) || Math.abs(v) == 1) return of((n & 1) == 0 ? Math.abs(v) : v);
        if (n > 64) return empty();
        BigDecimal p = new BigDecimal(v).pow((int) n);
        double m = p.doubleValue();
        boolean exact = !Double.isInfinite(m) && m != 0 && new BigDecimal(m).compareTo(p) == 0;
        return exact && real(m, d).getAsDouble() == m ? of(m) : empty();
    }

    // ---- helpers ----

    /** Exponentiation by squaring with wrap-around; the low 32 bits are right for i32 too. */
    private static long power(long base, long exponent) {
        long result = 1;
        for (long e = exponent; e != 0; e >>>= 1) {
            if ((e & 1) != 0) result *= base;
            base *= base;
        }
        return result;
    }

    private static OptionalDouble real(double x, DType d) { return of(d == DType.F32 ? (float) x : x); }

    /** {@code x} wrapped to the type; an i64 too large for a double attribute is not folded. */
    private static OptionalDouble integer(long x, DType d) {
        if (d == DType.I32) return of((int) x);
        return x >= -(1L << 53) && x <= (1L << 53) ? of(x) : empty();
    }

    private static OptionalDouble bool(boolean b) { return of(b ? 1 : 0); }

    private static boolean isInteger(double x) { return x == Math.rint(x) && !Double.isInfinite(x); }

    /** The number of bits from the highest to the lowest set bit of a finite non-zero {@code v}'s significand. */
    static int significantBits(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long mantissa = bits & ((1L << 52) - 1);
        if (((bits >>> 52) & 0x7ff) != 0) mantissa |= 1L << 52;
        return 64 - Long.numberOfLeadingZeros(mantissa) - Long.numberOfTrailingZeros(mantissa);
    }

    private static int precision(DType d) { return d == DType.F32 ? 24 : 53; }

    private static double maxValue(DType d) { return d == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE; }
}
