package dev.modelc.opt;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.Verifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random graphs of fills through random ops: every value the folder produces equals the value
 * computed here directly, in plain Java arithmetic of the element type ({@code float} for f32,
 * {@code int} for i32, sums accumulated in that type), which is a different route to the same
 * bits. Ops that are exact for every operand must fold; integer division by zero must not.
 */
class ConstantFoldingPropertyTest {
    private static final List<DimExpr> SHAPE = List.of(DimExpr.constant(2), DimExpr.constant(3));

    private static final double[] FLOATS = {0, -0.0, 1, -1, 2, 0.5, 3, -7.5, 0.1, 1e30, -1e-30, 16777217, 2.5, 1e38,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 4, -2, 10, 0.3};
    private static final long[] INTS = {0, 1, -1, 2, 3, -7, 7, 10, 2147483647, -2147483648, 65536, 1L << 40, -3};

    private static final UnaryFn[] FLOAT_UNARY = {UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQUARE, UnaryFn.SQRT, UnaryFn.RSQRT,
            UnaryFn.RELU, UnaryFn.FLOOR, UnaryFn.CEIL, UnaryFn.ROUND, UnaryFn.SIGN, UnaryFn.EXP, UnaryFn.LOG};
    private static final UnaryFn[] INT_UNARY = {UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQUARE, UnaryFn.RELU, UnaryFn.SIGN};
    private static final BinaryFn[] BINARY = {BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MOD,
            BinaryFn.MAX, BinaryFn.MIN, BinaryFn.POW, BinaryFn.LT, BinaryFn.GE, BinaryFn.EQ, BinaryFn.NE};

    /**
     * A node made in the test with the value it must have (null: none to check, e.g. a run-time
     * error), and whether the folder must have made it a fill (so must its operands).
     */
    private record Made(int id, DType dtype, Double value, boolean mustFold) {}

    @Test
    void foldedValuesEqualDirectArithmetic() {
        var folded = new EnumMap<DType, Integer>(DType.class);
        int checked = 0;
        for (int seed = 0; seed < 400; seed++) {
            var rnd = new SplittableRandom(seed);
            DType d = List.of(DType.F32, DType.F64, DType.I32, DType.I64).get(rnd.nextInt(4));
            var g = new GraphBuilder();
            var made = new ArrayList<Made>();
            for (int i = 0; i < 3; i++) made.add(leaf(g, d, rnd));
            for (int i = 0; i < 8; i++) made.add(step(g, made, d, rnd));
            var results = new ArrayList<Graph.Result>();
            for (int i = 0; i < made.size(); i++) results.add(new Graph.Result("r" + i, made.get(i).id()));
            Graph in = Verifier.verify(g.build("random" + seed, results));
            Graph out = new ConstantFolding().apply(in);
            assertEquals(List.of(), Verifier.problems(out));
            for (int i = 3; i < made.size(); i++) {
                var m = made.get(i);
                var node = out.result("r" + i);
                String where = "seed " + seed + ", r" + i + "\n" + GraphPrinter.print(in) + "\n" + GraphPrinter.print(out);
                if (node.op() instanceof Constant(double c)) {
                    assertNotNull(m.value(), "folded a value that has none: " + where);
                    assertEquals(bits(m.value(), m.dtype()), bits(c, m.dtype()), "value " + c + ", expected " + m.value() + ": " + where);
                    folded.merge(d, 1, Integer::sum);
                    checked++;
                } else {
                    assertFalse(m.mustFold(), "not folded: " + where);
                }
            }
        }
        assertTrue(checked > 1000, "only " + checked + " folds checked");
        for (var d : List.of(DType.F32, DType.F64, DType.I32, DType.I64)) assertTrue(folded.getOrDefault(d, 0) > 100, folded.toString());
    }

    private static Made leaf(GraphBuilder g, DType d, SplittableRandom rnd) {
        double v = d.isFloat() ? FLOATS[rnd.nextInt(FLOATS.length)] : INTS[rnd.nextInt(d == DType.I32 ? INTS.length - 2 : INTS.length)];
        int id = g.constant(v, new TensorType(d, SHAPE));
        return new Made(id, d, d == DType.F32 ? (double) (float) v : v, true);
    }

    private static Made step(GraphBuilder g, List<Made> made, DType d, SplittableRandom rnd) {
        var pool = made.stream().filter(m -> m.dtype() == d && g.type(m.id()).shape().equals(SHAPE)).toList();
        Made a = pool.get(rnd.nextInt(pool.size())), b = pool.get(rnd.nextInt(pool.size()));
        boolean bothKnown = a.value() != null && b.value() != null;
        boolean noNaN = bothKnown && !a.value().isNaN() && !b.value().isNaN() && a.mustFold() && b.mustFold();
        switch (rnd.nextInt(6)) {
            case 0 -> {
                var fns = d.isFloat() ? FLOAT_UNARY : INT_UNARY;
                var fn = fns[rnd.nextInt(fns.length)];
                Double v = a.value() == null ? null : unary(fn, a.value(), d);
                boolean exact = switch (fn) {
                    case EXP, LOG -> false;
                    default -> true;
                };
                return new Made(g.unary(fn, a.id()), d, v, exact && noNaN(a) && representable(v, d));
            }
            case 1, 2 -> {
                var fn = BINARY[rnd.nextInt(BINARY.length)];
                Double v = bothKnown ? binary(fn, a.value(), b.value(), d) : null;
                boolean zeroDivisor = d.isInt() && (fn == BinaryFn.DIV || fn == BinaryFn.MOD) && bothKnown && b.value() == 0;
                boolean exact = switch (fn) {
                    case POW -> false;
                    case DIV, MOD -> d.isFloat();
                    default -> true;
                };
                return new Made(g.binary(fn, a.id(), b.id()), fn.isComparison() ? DType.BOOL : d, zeroDivisor ? null : v,
                        exact && noNaN && representable(v, d));
            }
            case 3 -> {
                int c = g.binary(BinaryFn.LT, a.id(), b.id());
                Made other = pool.get(rnd.nextInt(pool.size()));
                int s = g.select(c, a.id(), other.id());
                Double v = bothKnown && other.value() != null ? (a.value() < b.value() ? a.value() : other.value()) : null;
                return new Made(s, d, v, v != null && noNaN && other.mustFold()); // (the compare must fold: no NaN there)
            }
            case 4 -> {
                DType to = List.of(DType.F32, DType.F64, DType.I32, DType.I64).get(rnd.nextInt(4));
                if (to == d) to = DType.F64;
                Double v = a.value() == null ? null : convert(a.value(), d, to);
                return new Made(g.convert(a.id(), to), to, v, v != null && noNaN(a) && representable(v, to));
            }
            default -> {
                // a reduction over the axis of 3, then broadcast back so the pool keeps one shape
                var fn = ReduceFn.values()[rnd.nextInt(ReduceFn.values().length)];
                int r = g.reduce(fn, a.id(), List.of(1));
                int back = g.broadcast(r, List.of(0), SHAPE);
                Double v = a.value() == null ? null : reduce(fn, a.value(), 3, d);
                return new Made(back, d, v, false);
            }
        }
    }

    /** A constant attribute is a double: an i64 beyond 2^53 may not be one, so it need not fold. */
    private static boolean representable(Double v, DType d) { return v == null || !d.isInt() || Math.abs(v) <= 0x1p53; }

    private static boolean noNaN(Made m) { return m.value() != null && !m.value().isNaN() && m.mustFold(); }

    // ---- direct arithmetic in the element type ----

    private static Double unary(UnaryFn fn, double x, DType d) {
        if (d == DType.F32) {
            float f = (float) x;
            return (double) switch (fn) {
                case NEG -> -f;
                case ABS -> Math.abs(f);
                case SQUARE -> f * f;
                case SQRT -> (float) Math.sqrt(f);
                case RSQRT -> (float) (1 / Math.sqrt(f));
                case RELU -> Math.max(f, 0f);
                case FLOOR -> (float) Math.floor(f);
                case CEIL -> (float) Math.ceil(f);
                case ROUND -> (float) Math.rint(f);
                case SIGN -> Math.signum(f);
                case EXP -> (float) StrictMath.exp(f);
                case LOG -> (float) StrictMath.log(f);
                default -> throw new AssertionError(fn);
            };
        }
        if (d == DType.F64) {
            return switch (fn) {
                case NEG -> -x;
                case ABS -> Math.abs(x);
                case SQUARE -> x * x;
                case SQRT -> Math.sqrt(x);
                case RSQRT -> 1 / Math.sqrt(x);
                case RELU -> Math.max(x, 0.0);
                case FLOOR -> Math.floor(x);
                case CEIL -> Math.ceil(x);
                case ROUND -> Math.rint(x);
                case SIGN -> Math.signum(x);
                case EXP -> StrictMath.exp(x);
                case LOG -> StrictMath.log(x);
                default -> throw new AssertionError(fn);
            };
        }
        long v = (long) x;
        long r = switch (fn) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case RELU -> Math.max(v, 0);
            case SIGN -> Long.signum(v);
            default -> throw new AssertionError(fn);
        };
        return (double) (d == DType.I32 ? (int) r : r);
    }

    private static Double binary(BinaryFn fn, double a, double b, DType d) {
        if (fn.isComparison()) {
            boolean r = switch (fn) {
                case LT -> a < b;
                case GE -> a >= b;
                case EQ -> a == b;
                default -> a != b;
            };
            return r ? 1.0 : 0.0;
        }
        if (d == DType.F32) {
            float x = (float) a, y = (float) b;
            return (double) switch (fn) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MOD -> pythonMod(x, y);
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                case POW -> (float) Math.pow(x, y);
                default -> throw new AssertionError(fn);
            };
        }
        if (d == DType.F64) {
            return switch (fn) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case MOD -> { double r = a % b; yield r == 0 ? Math.copySign(0.0, b) : (r < 0) != (b < 0) ? r + b : r; }
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
                case POW -> Math.pow(a, b);
                default -> throw new AssertionError(fn);
            };
        }
        if (d == DType.I32) {
            int x = (int) a, y = (int) b;
            if ((fn == BinaryFn.DIV || fn == BinaryFn.MOD) && y == 0) return null;
            if (fn == BinaryFn.POW && y < 0) return null;
            return (double) switch (fn) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> Math.floorDiv(x, y);
                case MOD -> Math.floorMod(x, y);
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                case POW -> wrappedPower(x, y).intValue();
                default -> throw new AssertionError(fn);
            };
        }
        long x = (long) a, y = (long) b;
        if ((fn == BinaryFn.DIV || fn == BinaryFn.MOD) && y == 0) return null;
        if (fn == BinaryFn.POW && y < 0) return null;
        long r = switch (fn) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> Math.floorDiv(x, y);
            case MOD -> Math.floorMod(x, y);
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case POW -> wrappedPower(x, y).longValue();
            default -> throw new AssertionError(fn);
        };
        return (double) r;
    }

    /** x^y modulo 2^64, whose low 32 bits are also the i32 answer. */
    private static java.math.BigInteger wrappedPower(long x, long y) {
        return java.math.BigInteger.valueOf(x).modPow(java.math.BigInteger.valueOf(y), java.math.BigInteger.ONE.shiftLeft(64));
    }

    private static float pythonMod(float a, float b) {
        float r = a % b;
        if (r == 0) return Math.copySign(0f, b);
        return (r < 0) != (b < 0) ? r + b : r;
    }

    private static Double convert(double x, DType from, DType to) {
        if (to.isFloat()) {
            if (from.isFloat()) return to == DType.F32 ? (double) (float) x : x;
            return to == DType.F32 ? (double) (float) (long) x : (double) (long) x;
        }
        if (from.isInt()) return (double) (to == DType.I32 ? (int) (long) x : (long) x);
        if (Double.isNaN(x) || Double.isInfinite(x)) return null;
        double t = x < 0 ? Math.ceil(x) : Math.floor(x);
        if (to == DType.I32 ? t < Integer.MIN_VALUE || t > Integer.MAX_VALUE : Math.abs(t) >= 0x1p63) return null;
        return t;
    }

    /** Accumulates n copies in the element type itself: float sums for f32, as a backend might. */
    private static Double reduce(ReduceFn fn, double v, int n, DType d) {
        if (d == DType.F32) {
            float acc = fn == ReduceFn.PROD ? 1f : fn == ReduceFn.SUM ? 0f : (float) v;
            for (int k = 0; k < n; k++) {
                acc = switch (fn) {
                    case SUM -> acc + (float) v;
                    case PROD -> acc * (float) v;
                    case MAX -> Math.max(acc, (float) v);
                    case MIN -> Math.min(acc, (float) v);
                };
            }
            return (double) acc;
        }
        if (d == DType.F64) {
            double acc = fn == ReduceFn.PROD ? 1 : fn == ReduceFn.SUM ? 0 : v;
            for (int k = 0; k < n; k++) {
                acc = switch (fn) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                };
            }
            return acc;
        }
        long x = (long) v, acc = fn == ReduceFn.PROD ? 1 : fn == ReduceFn.SUM ? 0 : x;
        for (int k = 0; k < n; k++) {
            acc = switch (fn) {
                case SUM -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
            };
        }
        return (double) (d == DType.I32 ? (int) acc : acc);
    }

    /** Equal bits in the element type (every NaN alike, -0.0 apart from 0.0). */
    private static long bits(double v, DType d) {
        return switch (d) {
            case F32 -> Float.floatToIntBits((float) v);
            case F64 -> Double.doubleToLongBits(v);
            default -> (long) v;
        };
    }

}
