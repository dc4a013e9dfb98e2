package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.Convert;
import dev.modelc.graph.Op.Select;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    private static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    /** Exact equality, NaN equal to NaN and -0 different from +0 (Double.equals semantics). */
    private static void same(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.valueOf(expected[i]), Double.valueOf(actual[i]), "element " + i);
        }
    }

    private static void same(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(Float.valueOf(expected[i]), Float.valueOf(actual[i]), "element " + i);
    }

    private static double[] u64(UnaryFn fn, double... x) { return unary(fn, f64(x)).toDoubleArray(); }

    private static float[] u32(UnaryFn fn, float... x) { return unary(fn, f32(x)).toFloatArray(); }

    @Test
    void simpleUnaryFunctionsInF64() {
        same(new double[] {-1.5, 0.0, -0.0, NAN}, u64(UnaryFn.NEG, 1.5, -0.0, 0.0, NAN));
        same(new double[] {1.5, 0.0, INF}, u64(UnaryFn.ABS, -1.5, -0.0, -INF));
        same(new double[] {-1, 1, 0.0, -0.0, NAN}, u64(UnaryFn.SIGN, -3, 2, 0.0, -0.0, NAN));
        same(new double[] {1, Math.E, 0, INF}, u64(UnaryFn.EXP, 0, 1, -INF, 1000));
        same(new double[] {0, NAN, -INF}, u64(UnaryFn.LOG, 1, -1, 0));
        same(new double[] {1e-20, Math.log(2)}, u64(UnaryFn.LOG1P, 1e-20, 1));
        same(new double[] {3, NAN, 0.5}, u64(UnaryFn.SQRT, 9, -1, 0.25));
        same(new double[] {0.5, INF}, u64(UnaryFn.RSQRT, 4, 0));
        same(new double[] {9, 0.25}, u64(UnaryFn.SQUARE, -3, 0.5));
        same(new double[] {0, 1, -1}, u64(UnaryFn.TANH, 0, 1000, -1000));
        same(new double[] {2, 0.0, 0.0, NAN}, u64(UnaryFn.RELU, 2, -3, -0.0, NAN));
        same(new double[] {-2, 1, -3}, u64(UnaryFn.FLOOR, -1.5, 1.9, -3));
        same(new double[] {-1, 2}, u64(UnaryFn.CEIL, -1.5, 1.1));
    }

    @Test
    void roundIsHalfToEven() {
        same(new double[] {0.0, 2, 2, -0.0, -2, 3, -4, 1e300}, u64(UnaryFn.ROUND, 0.5, 1.5, 2.5, -0.5, -2.5, 2.6, -3.5, 1e300));
        same(new float[] {0f, 2f, 2f, -0f, -2f}, u32(UnaryFn.ROUND, 0.5f, 1.5f, 2.5f, -0.5f, -2.5f));
    }

    @Test
    void sigmoidAndSoftplusAreStableAtPlusMinus1000() {
        same(new double[] {0.5, 1, 0, 1 / (1 + Math.exp(-2))}, u64(UnaryFn.SIGMOID, 0, 1000, -1000, 2));
        assertEquals(Math.exp(-30) / (1 + Math.exp(-30)), u64(UnaryFn.SIGMOID, -30)[0], 1e-15 * Math.exp(-30));
        same(new float[] {0.5f, 1f, 0f}, u32(UnaryFn.SIGMOID, 0f, 1000f, -1000f));
        same(new double[] {1000, 0, Math.log(2)}, u64(UnaryFn.SOFTPLUS, 1000, -1000, 0));
        assertEquals(Math.exp(-50), u64(UnaryFn.SOFTPLUS, -50)[0], 1e-35);
        same(new float[] {1000f, 0f, (float) Math.log(2)}, u32(UnaryFn.SOFTPLUS, 1000f, -1000f, 0f));
    }

    @Test
    void erfAndExactGelu() {
        double[] e = u64(UnaryFn.ERF, 0.5, 1, 2, -3);
        double[] known = {0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014};
        for (int i = 0; i < e.length; i++) assertEquals(known[i], e[i], 1e-15 * Math.abs(known[i]));
        // x * Phi(x), from mpmath; the negative tail keeps its relative accuracy up to the
        // conditioning of erfc(a), which turns the rounding of a = x/sqrt(2) into 2a^2 times as much
        double[] x = {-10, -5, -3, -1, -0.5, 0.5, 1, 3};
        double[] gelu = {-7.619853024160526066e-23, -1.4332578593959695584e-6, -0.00404969409489028358,
            -0.15865525393145705141, -0.15426876936299344818, 0.34573123063700655182, 0.84134474606854294859,
            2.9959503059051097164};
        double[] g = u64(UnaryFn.GELU, x);
        for (int i = 0; i < x.length; i++) {
            double tolerance = (2 + x[i] * x[i]) * 2.3e-16;
            assertEquals(gelu[i], g[i], tolerance * Math.abs(gelu[i]), "gelu(" + x[i] + ")");
        }
        same(new float[] {0.8413448f, 0f}, u32(UnaryFn.GELU, 1f, 0f));
    }

    @Test
    void f32ResultsAreRoundedToFloatAfterEveryOp() {
        same(new float[] {(float) Math.E, (float) Math.sqrt(2)}, new float[] {u32(UnaryFn.EXP, 1f)[0], u32(UnaryFn.SQRT, 2f)[0]});
        // 1 + 2^-30 is 1 in f32, so (1 + 2^-30) - 1 is 0 there, not 2^-30 as in double
        float tiny = 0x1p-30f;
        Tensor r = run(g -> ids -> g.binary(BinaryFn.SUB, g.binary(BinaryFn.ADD, ids.get(0), ids.get(1)), ids.get(0)), f32(1f), f32(tiny));
        same(new float[] {0f}, r.toFloatArray());
        r = run(g -> ids -> g.binary(BinaryFn.SUB, g.binary(BinaryFn.ADD, ids.get(0), ids.get(1)), ids.get(0)), f64(1), f64(0x1p-30));
        same(new double[] {0x1p-30}, r.toDoubleArray());
        // f32 overflow is inf, as float arithmetic gives
        same(new float[] {Float.POSITIVE_INFINITY}, binary(BinaryFn.MUL, f32(3e38f), f32(10f)).toFloatArray());
        same(new float[] {0.1f + 0.2f, 1f / 3f}, new float[] {binary(BinaryFn.ADD, f32(0.1f), f32(0.2f)).toFloatArray()[0],
            binary(BinaryFn.DIV, f32(1f), f32(3f)).toFloatArray()[0]});
    }

    @Test
    void floatArithmeticInF64AndF32() {
        same(new double[] {5, -1, 6, 0.5, INF, NAN}, new double[] {
            binary(BinaryFn.ADD, f64(2), f64(3)).toDoubleArray()[0], binary(BinaryFn.SUB, f64(2), f64(3)).toDoubleArray()[0],
            binary(BinaryFn.MUL, f64(2), f64(3)).toDoubleArray()[0], binary(BinaryFn.DIV, f64(1), f64(2)).toDoubleArray()[0],
            binary(BinaryFn.DIV, f64(1), f64(0)).toDoubleArray()[0], binary(BinaryFn.DIV, f64(0), f64(0)).toDoubleArray()[0]});
        same(new double[] {8, 0.5, NAN, 1, 1, 1}, binary(BinaryFn.POW, f64(2, 2, -8, 1, 1, -1), f64(3, -1, 1.0 / 3, NAN, INF, INF)).toDoubleArray());
        same(new float[] {8f, 0.25f}, binary(BinaryFn.POW, f32(2f, 4f), f32(3f, -1f)).toFloatArray());
    }

    @Test
    void floatModFollowsPython() {
        double[] a = {-7, 7, -7.5, 7.5, 6, -6, 5, -5, 1, INF};
        double[] b = {3, -3, 2, -2, 3, 3, 0, INF, -INF, 2};
        // Python: -7 % 3 == 2, 7 % -3 == -2, -7.5 % 2 == 0.5, 7.5 % -2 == -0.5, 6 % 3 == 0.0,
        // -6 % 3 == 0.0 (zero takes the divisor's sign), 5 % 0 -> nan (NumPy), -5 % inf == inf, 1 % -inf == -inf
        same(new double[] {2, -2, 0.5, -0.5, 0.0, 0.0, NAN, INF, -INF, NAN}, binary(BinaryFn.MOD, f64(a), f64(b)).toDoubleArray());
        same(new double[] {-0.0}, binary(BinaryFn.MOD, f64(6), f64(-3)).toDoubleArray());
        same(new float[] {2f, -2f, 0.5f}, binary(BinaryFn.MOD, f32(-7f, 7f, -7.5f), f32(3f, -3f, 2f)).toFloatArray());
    }

    @Test
    void maxAndMinPropagateNaN() {
        same(new double[] {3, NAN, NAN, 0.0}, binary(BinaryFn.MAX, f64(1, NAN, 2, -0.0), f64(3, 1, NAN, 0.0)).toDoubleArray());
        same(new double[] {1, NAN, NAN, -0.0}, binary(BinaryFn.MIN, f64(1, NAN, 2, -0.0), f64(3, 1, NAN, 0.0)).toDoubleArray());
        same(new float[] {3f, Float.NaN}, binary(BinaryFn.MAX, f32(1f, Float.NaN), f32(3f, 1f)).toFloatArray());
    }

    @Test
    void comparisonsFollowIeee() {
        Tensor a = f64(1, 2, NAN, 3), b = f64(2, 2, NAN, 1);
        assertArrayEquals(new boolean[] {true, false, false, false}, binary(BinaryFn.LT, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, false}, binary(BinaryFn.LE, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, false, true}, binary(BinaryFn.GT, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, true}, binary(BinaryFn.GE, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, false}, binary(BinaryFn.EQ, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, binary(BinaryFn.NE, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, binary(BinaryFn.LT, i32(-1, 5), i32(0, 5)).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, binary(BinaryFn.EQ, bools(true, false), bools(false, false)).toBooleanArray());
    }

    @Test
    void logic() {
        Tensor a = bools(true, true, false, false), b = bools(true, false, true, false);
        assertArrayEquals(new boolean[] {true, false, false, false}, binary(BinaryFn.AND, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false}, binary(BinaryFn.OR, a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true}, unary(UnaryFn.NOT, a).toBooleanArray());
    }

    @Test
    void integerArithmeticWraps() {
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}, binary(BinaryFn.ADD, i32(Integer.MAX_VALUE, Integer.MIN_VALUE, -1), i32(1, -1, 1)).toIntArray());
        assertArrayEquals(new int[] {-2147483648 * 3}, binary(BinaryFn.MUL, i32(-2147483648), i32(3)).toIntArray());
        assertArrayEquals(new int[] {65536 * 65536}, binary(BinaryFn.MUL, i32(65536), i32(65536)).toIntArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE}, binary(BinaryFn.ADD, i64(Long.MAX_VALUE), i64(1)).toLongArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5, 0}, unary(UnaryFn.NEG, i32(Integer.MIN_VALUE, -5, 0)).toIntArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5}, unary(UnaryFn.ABS, i32(Integer.MIN_VALUE, -5)).toIntArray());
        assertArrayEquals(new long[] {-1, 0, 1}, unary(UnaryFn.SIGN, i64(-9, 0, 4)).toLongArray());
        assertArrayEquals(new int[] {0, 7}, unary(UnaryFn.RELU, i32(-3, 7)).toIntArray());
        assertArrayEquals(new int[] {9, 0}, unary(UnaryFn.SQUARE, i32(-3, 65536)).toIntArray());
        assertArrayEquals(new int[] {-3, 4}, unary(UnaryFn.ROUND, i32(-3, 4)).toIntArray());
        assertArrayEquals(new long[] {7, -2}, binary(BinaryFn.MAX, i64(7, -5), i64(3, -2)).toLongArray());
        assertArrayEquals(new long[] {3, -5}, binary(BinaryFn.MIN, i64(7, -5), i64(3, -2)).toLongArray());
    }

    @Test
    void integerDivisionFloorsAndModTakesTheDivisorsSign() {
        Tensor a = i32(7, -7, 7, -7, 6, Integer.MIN_VALUE), b = i32(2, 2, -2, -2, 3, -1);
        assertArrayEquals(new int[] {3, -4, -4, 3, 2, Integer.MIN_VALUE}, binary(BinaryFn.DIV, a, b).toIntArray());
        assertArrayEquals(new int[] {1, 1, -1, -1, 0, 0}, binary(BinaryFn.MOD, a, b).toIntArray());
        assertArrayEquals(new long[] {2, -2}, binary(BinaryFn.MOD, i64(-7, 7), i64(3, -3)).toLongArray());
        var e = assertThrows(InterpreterException.class, () -> binary(BinaryFn.DIV, i32(1, 2), i32(1, 0)));
        assertTrue(e.getMessage().startsWith("integer division by zero"), e.getMessage());
        assertTrue(e.getMessage().contains("div(%0, %1) : i32[2]"), e.getMessage());
        e = assertThrows(InterpreterException.class, () -> binary(BinaryFn.MOD, i64(1), i64(0)));
        assertTrue(e.getMessage().startsWith("integer modulo by zero"), e.getMessage());
    }

    @Test
    void integerPowerBySquaring() {
        assertArrayEquals(new int[] {81, 1, 0, 1, -8, Integer.MIN_VALUE, 0}, binary(BinaryFn.POW, i32(3, 5, 0, 0, -2, 2, 2), i32(4, 0, 3, 0, 3, 31, 32)).toIntArray());
        assertArrayEquals(new long[] {1L << 62, Long.MIN_VALUE, 1}, binary(BinaryFn.POW, i64(2, 2, -1), i64(62, 63, 1000)).toLongArray());
        var e = assertThrows(InterpreterException.class, () -> binary(BinaryFn.POW, i32(2), i32(-1)));
        assertTrue(e.getMessage().contains("negative power"), e.getMessage());
    }

    @Test
    void select() {
        Tensor c = bools(true, false, true);
        Tensor r = run(g -> ids -> g.emit(new Select(), ids, g.type(ids.get(1))), c, f32(1, 2, 3), f32(-1, -2, -3));
        same(new float[] {1, -2, 3}, r.toFloatArray());
        r = run(g -> ids -> g.emit(new Select(), ids, g.type(ids.get(1))), c, i64(1, 2, 3), i64(-1, -2, -3));
        assertArrayEquals(new long[] {1, -2, 3}, r.toLongArray());
        r = run(g -> ids -> g.emit(new Select(), ids, g.type(ids.get(1))), c, bools(false, false, false), bools(true, true, true));
        assertArrayEquals(new boolean[] {false, true, false}, r.toBooleanArray());
    }

    private static Tensor convert(Tensor x, DType to) {
        return op(new Convert(), typeOf(x).withDtype(to), x);
    }

    @Test
    void convertTruncatesSaturatesAndRounds() {
        assertArrayEquals(new int[] {2, -2, 0, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE},
                convert(f64(2.9, -2.9, -0.5, NAN, 1e10, -1e10, INF), DType.I32).toIntArray());
        assertArrayEquals(new long[] {10000000000L, Long.MIN_VALUE}, convert(f64(1e10, -1e30), DType.I64).toLongArray());
        assertArrayEquals(new long[] {3, 0}, convert(f32(3.99f, Float.NaN), DType.I64).toLongArray());
        assertArrayEquals(new boolean[] {true, false, true, false, true}, convert(f64(2, 0, NAN, -0.0, -1), DType.BOOL).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, convert(i32(-4, 0), DType.BOOL).toBooleanArray());
        same(new double[] {1, 0}, convert(bools(true, false), DType.F64).toDoubleArray());
        assertArrayEquals(new int[] {1, 0}, convert(bools(true, false), DType.I32).toIntArray());
        same(new float[] {(float) 0.1, Float.POSITIVE_INFINITY}, convert(f64(0.1, 1e300), DType.F32).toFloatArray());
        same(new double[] {(double) 0.1f}, convert(f32(0.1f), DType.F64).toDoubleArray());
        // wider to narrower integers wrap
        assertArrayEquals(new int[] {0, -1}, convert(i64(1L << 32, (1L << 32) - 1), DType.I32).toIntArray());
        assertArrayEquals(new long[] {-5}, convert(i32(-5), DType.I64).toLongArray());
        // i64 -> f32 rounds once: through double, 2^60 + 2^36 + 1 would round to 2^60 + 2^36, a tie, then to 2^60
        long big = (1L << 60) + (1L << 36) + 1;
        same(new float[] {(float) big}, convert(i64(big), DType.F32).toFloatArray());
        assertEquals(0x1p60f + 0x1p37f, (float) big);
    }
}
