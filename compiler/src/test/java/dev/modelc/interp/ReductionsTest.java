package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReductionsTest {
    private static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    private static Tensor reduce(ReduceFn fn, Tensor x, Integer... axes) { return run(g -> ids -> g.reduce(fn, ids.get(0), List.of(axes)), x); }

    private static Tensor m2x3(double... v) { return Tensor.of(v, 2, 3); }

    @Test
    void reduceOverAxes() {
        Tensor x = m2x3(1, 2, 3, 4, 5, 6);
        assertArrayEquals(new double[] {5, 7, 9}, reduce(ReduceFn.SUM, x, 0).toDoubleArray());
        assertArrayEquals(new double[] {6, 15}, reduce(ReduceFn.SUM, x, 1).toDoubleArray());
        assertArrayEquals(new double[] {21}, reduce(ReduceFn.SUM, x, 0, 1).toDoubleArray());
        assertEquals(0, reduce(ReduceFn.SUM, x, 0, 1).rank());
        assertArrayEquals(new double[] {6, 120}, reduce(ReduceFn.PROD, x, 1).toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6}, reduce(ReduceFn.MAX, x, 0).toDoubleArray());
        assertArrayEquals(new double[] {1, 4}, reduce(ReduceFn.MIN, x, 1).toDoubleArray());
        // [2, 2, 2] over axes 0 and 2
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        assertArrayEquals(new float[] {1 + 2 + 5 + 6, 3 + 4 + 7 + 8}, reduce(ReduceFn.SUM, y, 0, 2).toFloatArray());
    }

    @Test
    void f32SumsAccumulateInDoubleAndRoundOnce() {
        float[] v = new float[1001];
        v[0] = 1f;
        for (int i = 1; i < v.length; i++) v[i] = 0x1p-25f; // each alone is lost against 1 in f32
        float s = reduce(ReduceFn.SUM, Tensor.of(v, v.length), 0).toFloatArray()[0];
        assertEquals((float) (1 + 1000 * 0x1p-25), s);
        assertNotEquals(1f, s);
    }

    @Test
    void maxAndMinPropagateNaNAndEmptyReductionsGiveTheIdentity() {
        Tensor x = m2x3(1, NAN, 3, 4, 5, -INF);
        assertArrayEquals(new double[] {NAN, 5}, reduce(ReduceFn.MAX, x, 1).toDoubleArray());
        assertArrayEquals(new double[] {NAN, -INF}, reduce(ReduceFn.MIN, x, 1).toDoubleArray());
        assertArrayEquals(new double[] {NAN, 4 + 5 - INF}, reduce(ReduceFn.SUM, x, 1).toDoubleArray());
        Tensor empty = Tensor.zeros(DType.F64, 0, 3);
        assertArrayEquals(new double[] {0, 0, 0}, reduce(ReduceFn.SUM, empty, 0).toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, reduce(ReduceFn.PROD, empty, 0).toDoubleArray());
        assertArrayEquals(new double[] {-INF, -INF, -INF}, reduce(ReduceFn.MAX, empty, 0).toDoubleArray());
        assertArrayEquals(new double[] {INF, INF, INF}, reduce(ReduceFn.MIN, empty, 0).toDoubleArray());
        assertArrayEquals(new long[] {0}, reduce(ReduceFn.SUM, Tensor.zeros(DType.I64, 0), 0).toLongArray());
    }

    @Test
    void integerReductionsWrap() {
        Tensor x = i32(Integer.MAX_VALUE, 1, 5);
        assertArrayEquals(new int[] {Integer.MIN_VALUE + 5}, reduce(ReduceFn.SUM, x, 0).toIntArray());
        assertArrayEquals(new int[] {Integer.MAX_VALUE * 5}, reduce(ReduceFn.PROD, x, 0).toIntArray());
        assertArrayEquals(new int[] {Integer.MAX_VALUE}, reduce(ReduceFn.MAX, x, 0).toIntArray());
        assertArrayEquals(new long[] {-3}, reduce(ReduceFn.MIN, i64(4, -3, 0), 0).toLongArray());
        assertArrayEquals(new boolean[] {true, false}, reduce(ReduceFn.MAX, Tensor.of(new boolean[] {false, true, false, false}, 2, 2), 1).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, reduce(ReduceFn.MIN, Tensor.of(new boolean[] {false, true, true, true}, 2, 2), 1).toBooleanArray());
    }

    private static long[] arg(boolean max, Tensor x, int axis) { return run(g -> ids -> g.argReduce(max, ids.get(0), axis), x).toLongArray(); }

    @Test
    void argReduceGivesTheFirstIndexOfTiesAndNaNCountsAsTheMaximum() {
        Tensor x = m2x3(3, 1, 3, 2, 2, 0);
        assertArrayEquals(new long[] {0, 0}, arg(true, x, 1));
        assertArrayEquals(new long[] {1, 2}, arg(false, x, 1));
        assertArrayEquals(new long[] {0, 1, 0}, arg(true, x, 0));
        assertArrayEquals(new long[] {1, 0, 1}, arg(false, x, 0));
        // the first NaN wins, for argmax and (as in NumPy) for argmin
        Tensor n = f64(1, NAN, 5, NAN);
        assertArrayEquals(new long[] {1}, arg(true, n, 0));
        assertArrayEquals(new long[] {1}, arg(false, n, 0));
        assertArrayEquals(new long[] {2}, arg(true, f32(-INF_F, -1f, 7f, 7f), 0));
        assertArrayEquals(new long[] {1}, arg(true, i32(4, 9, 9), 0));
        assertArrayEquals(new long[] {1}, arg(true, bools(false, true, true), 0));
    }

    private static final float INF_F = Float.POSITIVE_INFINITY;

    @Test
    void softmaxAndLogSoftmaxAreStable() {
        Tensor x = m2x3(1, 2, 3, 1000, 1000, -1000);
        double[] s = run(g -> ids -> g.softmax(ids.get(0), List.of(1)), x).toDoubleArray();
        double z = Math.exp(-2) + Math.exp(-1) + 1;
        double[] expected = {Math.exp(-2) / z, Math.exp(-1) / z, 1 / z, 0.5, 0.5, 0};
        for (int i = 0; i < 6; i++) assertEquals(expected[i], s[i], 1e-16);
        double[] l = run(g -> ids -> g.logSoftmax(ids.get(0), List.of(1)), x).toDoubleArray();
        double[] logs = {-2 - Math.log(z), -1 - Math.log(z), -Math.log(z), -Math.log(2), -Math.log(2), -2000 - Math.log(2)};
        for (int i = 0; i < 6; i++) assertEquals(logs[i], l[i], 1e-13);
        float[] f = run(g -> ids -> g.softmax(ids.get(0), List.of(0)), f32(1000f, -1000f, 1000f)).toFloatArray();
        assertArrayEquals(new float[] {0.5f, 0f, 0.5f}, f);
    }

    @Test
    void softmaxOverSeveralAxesIsJoint() {
        Tensor x = Tensor.of(new double[] {0, 0, 0, 0, 1, 1, 1, 1}, 2, 2, 2);
        double[] s = run(g -> ids -> g.softmax(ids.get(0), List.of(0, 2)), x).toDoubleArray();
        double e = Math.E, z = 2 + 2 * e;
        assertArrayEquals(new double[] {1 / z, 1 / z, 1 / z, 1 / z, e / z, e / z, e / z, e / z}, s, 1e-16);
        double total = 0;
        for (int i : new int[] {0, 1, 4, 5}) total += s[i];
        assertEquals(1, total, 1e-15);
    }

    @Test
    void logSumExpIsStableAndExactAtInfinities() {
        Tensor x = m2x3(1000, 1000, 1000, -INF, -INF, -INF);
        assertArrayEquals(new double[] {1000 + Math.log(3), -INF}, run(g -> ids -> g.logSumExp(ids.get(0), List.of(1)), x).toDoubleArray(), 1e-12);
        Tensor y = m2x3(INF, 1, 2, NAN, 0, 0);
        double[] r = run(g -> ids -> g.logSumExp(ids.get(0), List.of(1)), y).toDoubleArray();
        assertEquals(INF, r[0]);
        assertTrue(Double.isNaN(r[1]));
        assertArrayEquals(new double[] {Math.log(6)}, run(g -> ids -> g.logSumExp(ids.get(0), List.of(0, 1)), m2x3(0, 0, 0, 0, 0, 0)).toDoubleArray(), 1e-15);
        assertArrayEquals(new float[] {-1000f + (float) Math.log(2)}, run(g -> ids -> g.logSumExp(ids.get(0), List.of(0)), f32(-1000f, -1000f)).toFloatArray());
    }

    @Test
    void matmulIncludingBatches() {
        Tensor a = m2x3(1, 2, 3, 4, 5, 6), b = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new double[] {58, 64, 139, 154}, run(g -> ids -> g.matmul(ids.get(0), ids.get(1)), a, b).toDoubleArray());
        // two batches of [1, 2] @ [2, 2]
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 2), q = Tensor.of(new float[] {1, 0, 0, 1, 2, 1, 1, 2}, 2, 2, 2);
        Tensor r = run(g -> ids -> g.matmul(ids.get(0), ids.get(1)), p, q);
        assertArrayEquals(new long[] {2, 1, 2}, r.shape());
        assertArrayEquals(new float[] {1, 2, 10, 11}, r.toFloatArray());
        Tensor i = Tensor.of(new int[] {65536, 1}, 1, 2), j = Tensor.of(new int[] {65536, 5}, 2, 1);
        assertArrayEquals(new int[] {5}, run(g -> ids -> g.matmul(ids.get(0), ids.get(1)), i, j).toIntArray());
    }
}
