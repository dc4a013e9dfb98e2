package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeOpsTest {
    private static final DimExpr B = DimExpr.var("B");

    private static Tensor iota2x3() { return Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3); }

    @Test
    void constantDimSizeAndIota() {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B, c(2)));
        int k = g.constant(0.1, TensorType.of(DType.F32, B, c(2)));
        int n = g.emit(new DimSize(B.times(c(2)).floorDiv(3)), List.of(), TensorType.scalar(DType.I64));
        int f = g.emit(new DimSize(B), List.of(), TensorType.scalar(DType.F64));
        int i0 = g.iota(0, TensorType.of(DType.I32, B, c(2)));
        int i1 = g.iota(1, TensorType.of(DType.I64, c(2), c(3)));
        int b = g.constant(2, TensorType.of(DType.BOOL, c(2)));
        Graph graph = g.build("t", List.of(new Graph.Result("k", k), new Graph.Result("n", n), new Graph.Result("f", f),
                new Graph.Result("i0", i0), new Graph.Result("i1", i1), new Graph.Result("b", b), new Graph.Result("x", x)));
        var out = Interpreter.run(graph, inputs("x", Tensor.zeros(dev.modelc.runtime.DType.F32, 5, 2)));
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, out.get("k").toFloatArray());
        assertArrayEquals(new long[] {3}, out.get("n").toLongArray());
        assertEquals(0, out.get("n").rank());
        assertArrayEquals(new double[] {5}, out.get("f").toDoubleArray());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, out.get("i0").toIntArray());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2}, out.get("i1").toLongArray());
        assertArrayEquals(new boolean[] {true, true}, out.get("b").toBooleanArray());
        assertEquals(List.of("k", "n", "f", "i0", "i1", "b", "x"), List.copyOf(out.keySet()));
    }

    @Test
    void broadcastStretchesSizeOneAxesAndAddsNewOnes() {
        // [3] -> [2, 3] along axis 1
        Tensor r = op(new Broadcast(List.of(1)), new TensorType(DType.F64, shape(2, 3)), f64(1, 2, 3));
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, r.toDoubleArray());
        // [2] -> [2, 3] along axis 0
        r = op(new Broadcast(List.of(0)), new TensorType(DType.F64, shape(2, 3)), f64(1, 2));
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, r.toDoubleArray());
        // [2, 1] -> [2, 2, 3]: axis 0 -> 0, axis 1 (size 1) -> 2, stretched
        r = op(new Broadcast(List.of(0, 2)), new TensorType(DType.I32, shape(2, 2, 3)), Tensor.of(new int[] {7, 8}, 2, 1));
        assertArrayEquals(new int[] {7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8}, r.toIntArray());
        // scalar -> [2, 2]
        r = op(new Broadcast(List.of()), new TensorType(DType.BOOL, shape(2, 2)), Tensor.scalar(true));
        assertArrayEquals(new boolean[] {true, true, true, true}, r.toBooleanArray());
    }

    @Test
    void reshapeAndTranspose() {
        Tensor r = op(new Reshape(), new TensorType(DType.F64, shape(3, 2)), iota2x3());
        assertArrayEquals(new long[] {3, 2}, r.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, r.toDoubleArray());
        r = op(new Transpose(List.of(1, 0)), new TensorType(DType.F64, shape(3, 2)), iota2x3());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, r.toDoubleArray());
        // [2, 3, 4] with perm [2, 0, 1]: result[i, j, k] = x[j, k, i]
        long[] v = new long[24];
        for (int i = 0; i < 24; i++) v[i] = i;
        r = op(new Transpose(List.of(2, 0, 1)), new TensorType(DType.I64, shape(4, 2, 3)), Tensor.of(v, 2, 3, 4));
        long[] out = r.toLongArray();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 3; k++) assertEquals((j * 3 + k) * 4 + i, out[(i * 2 + j) * 3 + k]);
    }

    @Test
    void sliceWithStepsNegativeStepsAndASymbolicStart() {
        Tensor r = op(new Slice(List.of(c(0), c(2)), List.of(1L, -2L)), new TensorType(DType.F64, shape(2, 2)), iota2x3());
        assertArrayEquals(new double[] {2, 0, 5, 3}, r.toDoubleArray());
        r = op(new Slice(List.of(c(1), c(1)), List.of(1L, 1L)), new TensorType(DType.F64, shape(1, 2)), iota2x3());
        assertArrayEquals(new double[] {4, 5}, r.toDoubleArray());
        // x[::-1] on f32[B]: start B - 1, step -1
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B));
        int s = g.slice(x, List.of(B.minus(c(1))), List.of(-1L), List.of(B));
        var out = Interpreter.run(g.build("t", List.of(new Graph.Result("s", s))), inputs("x", f32(1, 2, 3, 4)));
        assertArrayEquals(new float[] {4, 3, 2, 1}, out.get("s").toFloatArray());
    }

    @Test
    void aSliceOffItsOperandIsAnError() {
        var e = assertThrows(InterpreterException.class,
                () -> op(new Slice(List.of(c(0), c(1)), List.of(1L, 1L)), new TensorType(DType.F64, shape(2, 3)), iota2x3()));
        assertTrue(e.getMessage().contains("runs off axis 1"), e.getMessage());
    }

    @Test
    void padWithLowInteriorAndImpliedHighPadding() {
        // [1, 2, 3] low 1, interior 1, total 7 -> 0 1 0 2 0 3 0
        Tensor r = op(new Pad(List.of(c(1)), List.of(1L)), new TensorType(DType.F64, shape(7)), f64(1, 2, 3));
        assertArrayEquals(new double[] {0, 1, 0, 2, 0, 3, 0}, r.toDoubleArray());
        // negative low crops the front, a short result crops the back (negative high)
        r = op(new Pad(List.of(c(-1)), List.of(2L)), new TensorType(DType.F64, shape(4)), f64(1, 2, 3));
        assertArrayEquals(new double[] {0, 0, 2, 0}, r.toDoubleArray());
        r = op(new Pad(List.of(c(1), c(0)), List.of(0L, 0L)), new TensorType(DType.I32, shape(3, 3)), Tensor.of(new int[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 0, 3, 4, 0}, r.toIntArray());
        r = op(new Pad(List.of(c(0)), List.of(0L)), new TensorType(DType.BOOL, shape(3)), bools(true, true));
        assertArrayEquals(new boolean[] {true, true, false}, r.toBooleanArray());
    }

    @Test
    void concatAlongEachAxis() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new double[] {5, 6}, 1, 2);
        Tensor r = run(g -> ids -> g.concat(ids, 0), a, b);
        assertArrayEquals(new long[] {3, 2}, r.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, r.toDoubleArray());
        Tensor c = Tensor.of(new double[] {7, 8}, 2, 1);
        r = run(g -> ids -> g.concat(ids, 1), a, c, a);
        assertArrayEquals(new double[] {1, 2, 7, 1, 2, 3, 4, 8, 3, 4}, r.toDoubleArray());
        r = run(g -> ids -> g.concat(ids, 0), bools(true), bools(false, true));
        assertArrayEquals(new boolean[] {true, false, true}, r.toBooleanArray());
    }

    @Test
    void randomUniformIsCounterRandomInCOrder() {
        var g = new GraphBuilder();
        int key = g.input(Role.KEY, "key", TensorType.scalar(DType.I64));
        int u32 = g.emit(new RandomUniform(7), List.of(key), TensorType.of(DType.F32, c(2), c(3)));
        int u64 = g.emit(new RandomUniform(9), List.of(key), TensorType.of(DType.F64, c(4)));
        var out = Interpreter.run(g.build("t", List.of(new Graph.Result("a", u32), new Graph.Result("b", u64))), inputs("key", Tensor.scalar(42L)));
        float[] a = out.get("a").toFloatArray();
        for (int i = 0; i < 6; i++) assertEquals(CounterRandom.uniformFloat(42, 7, i), a[i]);
        double[] b = out.get("b").toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(CounterRandom.uniformDouble(42, 9, i), b[i]);
            assertTrue(b[i] >= 0 && b[i] < 1);
        }
    }
}
