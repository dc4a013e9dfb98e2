package dev.modelc.loops;

import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.loops.LoopProgram.Kernel;
import dev.modelc.loops.LoopProgram.Kind;
import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopEvaluatorTest {
    private static final DimExpr N = DimExpr.var("N");

    private static Buffer input(int id, String name, DType t, DimExpr... shape) {
        return new Buffer(id, name, t, List.of(shape), Kind.INPUT, -1);
    }

    private static Buffer temp(int id, String name, DType t, int slot, DimExpr... shape) {
        return new Buffer(id, name, t, List.of(shape), Kind.TEMP, slot);
    }

    private static DimExpr c(long n) { return DimExpr.constant(n); }

    /** One kernel; inputs and results named as their buffers. */
    private static LoopProgram program(List<Buffer> buffers, List<Integer> results, Stmt... body) {
        var inputs = new java.util.HashMap<String, Integer>();
        for (var b : buffers) if (b.kind() == Kind.INPUT) inputs.put(b.name(), b.id());
        var out = new java.util.HashMap<String, Integer>();
        for (int r : results) out.put(buffers.get(r).name(), r);
        return new LoopProgram("test", List.of("N"), buffers, List.of(new Kernel("k", block(body), List.of(), List.of())), inputs, out);
    }

    private static float[] floats(int n, int seed) {
        var r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 4 - 2;
        return x;
    }

    /** y = relu(x * 2 + 1) over N, 8 lanes at a time and a scalar tail. */
    private static Stmt[] reluAffine(boolean parallel) {
        var v8 = vec(DType.F32, 8);
        Expr body = unary(UnaryFn.RELU, add(mul(load(0, v("i"), v8), splat(f32(2), 8)), splat(f32(1), 8)));
        Expr mainEnd = mul(div(dim("N"), idx(8)), idx(8));
        Stmt vectorStore = store(1, v("i"), body);
        Stmt main = parallel ? parallel("i", idx(0), mainEnd, 8, vectorStore) : loop("i", idx(0), mainEnd, 8, vectorStore);
        Stmt tail = loop("j", mainEnd, dim("N"),
                store(1, v("j"), unary(UnaryFn.RELU, add(mul(load(0, v("j"), DType.F32), f32(2)), f32(1)))));
        return new Stmt[] {main, tail};
    }

    private static void checkReluAffine(boolean parallel) {
        var p = program(List.of(input(0, "x", DType.F32, N), temp(1, "y", DType.F32, 0, N)), List.of(1), reluAffine(parallel));
        float[] x = floats(13, 1);
        float[] y = LoopEvaluator.run(p, Map.of("x", Tensor.of(x, 13)), Map.of("N", 13L)).get("y").toFloatArray();
        for (int i = 0; i < 13; i++) assertEquals(Math.max(x[i] * 2 + 1, 0f), y[i], "element " + i);
    }

    @Test
    void elementwiseWithVectorBodyAndScalarTail() { checkReluAffine(false); }

    @Test
    void parallelLoopsRunLikeSerialOnes() { checkReluAffine(true); }

    @Test
    void reductionWithAnF32AccumulatorRoundsEachStep() {
        var p = program(List.of(input(0, "x", DType.F32, N), temp(1, "s", DType.F32, 0)), List.of(1),
                declare("acc", scalar(DType.F32), f32(0)),
                loop("i", idx(0), dim("N"), assign("acc", add(v("acc", scalar(DType.F32)), load(0, v("i"), DType.F32)))),
                store(1, idx(0), v("acc", scalar(DType.F32))));
        float[] x = floats(100, 2);
        float expected = 0;
        for (float f : x) expected += f;
        Tensor s = LoopEvaluator.run(p, Map.of("x", Tensor.of(x, 100)), Map.of("N", 100L)).get("s");
        assertEquals(0, s.rank());
        assertEquals(expected, s.getFloat());
    }

    @Test
    void matmulWithFma() {
        int m = 3, k = 5, n = 4;
        var f32 = scalar(DType.F32);
        var p = new LoopProgram("mm", List.of(), List.of(input(0, "a", DType.F32, c(m), c(k)), input(1, "b", DType.F32, c(k), c(n)),
                temp(2, "c", DType.F32, 0, c(m), c(n))),
                List.of(new Kernel("mm", block(loop("i", idx(0), idx(m), loop("j", idx(0), idx(n),
                        declare("acc", f32, f32(0)),
                        loop("p", idx(0), idx(k), assign("acc", fma(load(0, add(mul(v("i"), idx(k)), v("p")), DType.F32),
                                load(1, add(mul(v("p"), idx(n)), v("j")), DType.F32), v("acc", f32)))),
                        store(2, add(mul(v("i"), idx(n)), v("j")), v("acc", f32))))), List.of(0, 1), List.of(2))),
                Map.of("a", 0, "b", 1), Map.of("c", 2));
        float[] a = floats(m * k, 3), b = floats(k * n, 4);
        Tensor out = LoopEvaluator.run(p, Map.of("a", Tensor.of(a, m, k), "b", Tensor.of(b, k, n)), Map.of()).get("c");
        assertArrayEquals(new long[] {m, n}, out.shape());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int q = 0; q < k; q++) acc = Math.fma(a[i * k + q], b[q * n + j], acc);
                assertEquals(acc, out.getFloat(i, j));
            }
        }
    }

    @Test
    void vectorAccumulatorReducesLanesLeftToRight() {
        var v4 = vec(DType.F64, 4);
        var p = program(List.of(input(0, "x", DType.F64, c(12)), temp(1, "s", DType.F64, 0), temp(2, "m", DType.F64, 1)),
                List.of(1, 2),
                declare("acc", v4, splat(f64(0), 4)),
                declare("hi", v4, splat(f64(Double.NEGATIVE_INFINITY), 4)),
                loop("i", idx(0), idx(12), 4,
                        assign("acc", add(v("acc", v4), load(0, v("i"), v4))),
                        assign("hi", binary(BinaryFn.MAX, v("hi", v4), load(0, v("i"), v4)))),
                store(1, idx(0), reduceLanes(BinaryFn.ADD, v("acc", v4))),
                store(2, idx(0), reduceLanes(BinaryFn.MAX, v("hi", v4))));
        double[] x = {1e16, 1, 2, 3, -1e16, 1, 1, 1, 0.5, 0.25, 0.125, 7};
        var out = LoopEvaluator.run(p, Map.of("x", Tensor.of(x, 12)), Map.of());
        double[] lane = new double[4];
        for (int i = 0; i < 12; i++) lane[i % 4] += x[i];
        assertEquals(((lane[0] + lane[1]) + lane[2]) + lane[3], out.get("s").getDouble());
        assertEquals(1e16, out.get("m").getDouble());
    }

    @Test
    void selectOnScalarsAndVectors() {
        var v4 = vec(DType.I32, 4);
        Expr x = load(0, v("i"), v4);
        var p = program(List.of(input(0, "x", DType.I32, c(8)), temp(1, "y", DType.I32, 0, c(8)), temp(2, "z", DType.I32, 1, c(8))),
                List.of(1, 2),
                loop("i", idx(0), idx(8), 4, store(1, v("i"), select(lt(x, splat(i32(0), 4)), unary(UnaryFn.NEG, x), x))),
                loop("i", idx(0), idx(8),
                        store(2, v("i"), select(lt(v("i"), idx(3)), i32(7), load(0, v("i"), DType.I32)))));
        int[] in = {-3, 4, -5, 0, Integer.MIN_VALUE, 9, -1, 2};
        var out = LoopEvaluator.run(p, Map.of("x", Tensor.of(in, 8)), Map.of());
        assertArrayEquals(new int[] {3, 4, 5, 0, Integer.MIN_VALUE, 9, 1, 2}, out.get("y").toIntArray());
        assertArrayEquals(new int[] {7, 7, 7, 0, Integer.MIN_VALUE, 9, -1, 2}, out.get("z").toIntArray());
    }

    @Test
    void castsFollowTheInterpretersConvert() {
        var p = program(List.of(input(0, "x", DType.F32, c(5)), temp(1, "i", DType.I32, 0, c(5)), temp(2, "l", DType.I64, 1, c(5)),
                        temp(3, "b", DType.BOOL, 2, c(5)), temp(4, "w", DType.I32, 3, c(5)), temp(5, "f", DType.F32, 4, c(5))),
                List.of(1, 2, 3, 4, 5),
                loop("i", idx(0), idx(5),
                        store(1, v("i"), cast(load(0, v("i"), DType.F32), scalar(DType.I32))),
                        store(2, v("i"), cast(load(0, v("i"), DType.F32), scalar(DType.I64))),
                        store(3, v("i"), cast(load(0, v("i"), DType.F32), scalar(DType.BOOL))),
                        // an index through i64 to i32 wraps; an i64 to f32 rounds once
                        store(4, v("i"), cast(cast(mul(v("i"), idx(1L << 31)), scalar(DType.I64)), scalar(DType.I32))),
                        store(5, v("i"), cast(add(i64((1L << 53) + 1), cast(v("i"), scalar(DType.I64))), scalar(DType.F32)))));
        float[] x = {Float.NaN, -2.9f, 3e9f, -1e20f, 0.0f};
        var out = LoopEvaluator.run(p, Map.of("x", Tensor.of(x, 5)), Map.of());
        assertArrayEquals(new int[] {0, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, out.get("i").toIntArray());
        assertArrayEquals(new long[] {0, -2, 3000000000L, Long.MIN_VALUE, 0}, out.get("l").toLongArray());
        assertArrayEquals(new boolean[] {true, true, true, true, false}, out.get("b").toBooleanArray());
        assertArrayEquals(new int[] {0, Integer.MIN_VALUE, 0, Integer.MIN_VALUE, 0}, out.get("w").toIntArray());
        float[] f = out.get("f").toFloatArray();
        for (int i = 0; i < 5; i++) assertEquals((float) ((1L << 53) + 1 + i), f[i]);
    }

    @Test
    void indexDivisionAndModuloFloor() {
        var p = program(List.of(temp(0, "q", DType.I64, 0, c(2)), temp(1, "r", DType.I64, 1, c(2))), List.of(0, 1),
                store(0, idx(0), cast(div(idx(-7), idx(2)), scalar(DType.I64))),
                store(0, idx(1), cast(div(idx(7), idx(2)), scalar(DType.I64))),
                store(1, idx(0), cast(mod(idx(-7), idx(2)), scalar(DType.I64))),
                store(1, idx(1), cast(mod(idx(7), idx(-2)), scalar(DType.I64))));
        var out = LoopEvaluator.run(p, Map.of(), Map.of());
        assertArrayEquals(new long[] {-4, 3}, out.get("q").toLongArray());
        assertArrayEquals(new long[] {1, -1}, out.get("r").toLongArray());
    }

    @Test
    void randomUniformIsTheRuntimesCounterRandom() {
        var p = program(List.of(temp(0, "u", DType.F32, 0, N), temp(1, "d", DType.F64, 1, N)), List.of(0, 1),
                loop("i", idx(0), dim("N"),
                        store(0, v("i"), randomUniform(i64(42), idx(3), v("i"), DType.F32)),
                        store(1, v("i"), randomUniform(i64(-5), idx(0), v("i"), DType.F64))));
        var out = LoopEvaluator.run(p, Map.of(), Map.of("N", 6L));
        for (int i = 0; i < 6; i++) {
            assertEquals(CounterRandom.uniformFloat(42, 3, i), out.get("u").toFloatArray()[i]);
            assertEquals(CounterRandom.uniformDouble(-5, 0, i), out.get("d").toDoubleArray()[i]);
        }
    }

    @Test
    void buffersInOneSlotShareStorageSizedForTheLargest() {
        // t (slot 0, 2 elements) is written, then u (slot 0, 4 elements) reads t's values through the shared storage
        var p = program(List.of(temp(0, "t", DType.I32, 0, c(2)), temp(1, "u", DType.I32, 0, c(4))), List.of(1),
                store(0, idx(0), i32(5)), store(0, idx(1), i32(6)), store(1, idx(3), i32(9)));
        assertArrayEquals(new int[] {5, 6, 0, 9}, LoopEvaluator.run(p, Map.of(), Map.of()).get("u").toIntArray());
        var mixed = program(List.of(temp(0, "t", DType.I32, 0, c(2)), temp(1, "u", DType.F32, 0, c(4))), List.of(1));
        assertThrows(IllegalArgumentException.class, () -> LoopEvaluator.run(mixed, Map.of(), Map.of()));
    }

    @Test
    void declaredLocalsAreScopedToTheirBlock() {
        var i64 = scalar(DType.I64);
        var p = program(List.of(temp(0, "y", DType.I64, 0, c(3))), List.of(0),
                declare("x", i64, i64(100)),
                loop("i", idx(0), idx(3),
                        declare("x", i64, cast(v("i"), i64)),
                        assign("x", add(v("x", i64), i64(10))),
                        store(0, v("i"), v("x", i64))),
                store(0, idx(0), add(v("x", i64), load(0, idx(0), DType.I64))));
        assertArrayEquals(new long[] {110, 11, 12}, LoopEvaluator.run(p, Map.of(), Map.of()).get("y").toLongArray());
    }

    @Test
    void errorsNameWhatWentWrong() {
        var p = program(List.of(input(0, "x", DType.F32, N), temp(1, "y", DType.F32, 0, N)), List.of(1),
                store(1, dim("N"), load(0, idx(0), DType.F32)));
        var oob = assertThrows(IndexOutOfBoundsException.class,
                () -> LoopEvaluator.run(p, Map.of("x", Tensor.of(new float[2], 2)), Map.of("N", 2L)));
        assertTrue(oob.getMessage().contains("buffer y"), oob.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopEvaluator.run(p, Map.of(), Map.of("N", 2L)));
        assertThrows(IllegalArgumentException.class, () -> LoopEvaluator.run(p, Map.of("x", Tensor.of(new float[3], 3)), Map.of("N", 2L)));
        assertThrows(IllegalArgumentException.class, () -> LoopEvaluator.run(p, Map.of("x", Tensor.of(new double[2], 2)), Map.of("N", 2L)));
        var divide = program(List.of(temp(0, "y", DType.I32, 0)), List.of(0), store(0, idx(0), div(i32(1), i32(0))));
        assertThrows(InterpreterException.class, () -> LoopEvaluator.run(divide, Map.of(), Map.of()));
    }
}
