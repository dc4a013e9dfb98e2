package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.loops.LoopProgram.Kind;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Statement forms: nested loops over dimensions, steps, if/else, locals and their scopes, slots, random numbers. */
class StatementsTest {
    private static final LType F32 = scalar(DType.F32), I64 = scalar(DType.I64), IDX = LType.INDEX;

    /** y[r, c] = sum over k < c of x[r, k] (a triangular running sum), with a branch on parity and a big step. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void nestedLoopsOverDimensionsWithBranchesAndLocals(TestBackend backend) {
        var rows = dimVar("R");
        var cols = dimVar("C");
        var p = program(List.of("R", "C"), List.of(input(0, "x", DType.F32, rows, cols), temp(1, "y", DType.F32, rows, cols),
                        temp(2, "big", DType.I64, n(3))),
                loop("r", idx(0), dim("R"),
                        declare("base", IDX, mul(v("r"), dim("C"))),
                        loop("c", idx(0), dim("C"),
                                declare("acc", F32, f32(0)),
                                loop("k", idx(0), v("c"), assign("acc", add(v("acc", F32), load(0, add(v("base", IDX), v("k")), DType.F32)))),
                                ifElse(binary(BinaryFn.EQ, mod(v("c"), idx(2)), idx(0)),
                                        store(1, add(v("base", IDX), v("c")), v("acc", F32)),
                                        block(declare("acc", F32, mul(v("acc", F32), f32(-1))), // shadows the outer acc
                                                store(1, add(v("base", IDX), v("c")), v("acc", F32)))))),
                loop("s", idx(0), idx(100_000), 40_000, store(2, div(v("s"), idx(40_000)), cast(v("s"), I64))),
                loop("e", idx(5), idx(2), store(2, idx(0), i64(-1)))); // runs no iterations
        float[] x = new float[6 * 7];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i) * 10;
        Agreement.assertAgrees(backend, p, Map.of("x", Tensor.of(x, 6, 7)), Map.of("R", 6L, "C", 7L));
    }

    /** Two temporaries in one slot: the second sees what the first left in the shared array. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void buffersOfOneSlotShareTheirArray(TestBackend backend) {
        var p = program(List.of(new Buffer(0, "t", DType.I32, List.of(n(2)), Kind.TEMP, 7), new Buffer(1, "u", DType.I32, List.of(n(4)), Kind.TEMP, 7)),
                store(0, idx(0), i32(5)), store(0, idx(1), i32(6)), store(1, idx(3), add(load(1, idx(1), DType.I32), i32(3))));
        Agreement.assertAgrees(backend, p, Map.of(), Map.of());
    }

    /** Key, stream and index are i64 values: indices, i64 elements, or i32 elements sign-extended. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void randomUniformIsTheRuntimesCounterRandom(TestBackend backend) {
        var p = program(List.of("N"), List.of(input(0, "key", DType.I64, n(1)), temp(1, "u", DType.F32, dimVar("N")), temp(2, "d", DType.F64, dimVar("N")),
                        temp(3, "w", DType.F32, dimVar("N"))),
                loop("i", idx(0), dim("N"),
                        store(1, v("i"), randomUniform(load(0, idx(0), DType.I64), idx(3), v("i"), DType.F32)),
                        store(2, v("i"), randomUniform(i64(-5), add(v("i"), idx(1)), mul(v("i"), idx(7)), DType.F64)),
                        store(3, v("i"), randomUniform(i32(-9), cast(v("i"), I64), cast(sub(v("i"), idx(20)), scalar(DType.I32)), DType.F32))));
        Agreement.assertAgrees(backend, p, Map.of("key", Tensor.of(new long[] {42}, 1)), Map.of("N", 50L));
    }

    /** A kernel sequence: the second kernel reads what the first wrote. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void kernelsRunInOrder(TestBackend backend) {
        var buffers = List.of(input(0, "x", DType.F64, n(10)), temp(1, "t", DType.F64, n(10)), temp(2, "y", DType.F64, n(1)));
        var k1 = new dev.modelc.loops.LoopProgram.Kernel("square", block(loop("i", idx(0), idx(10),
                store(1, v("i"), mul(load(0, v("i"), DType.F64), load(0, v("i"), DType.F64))))), List.of(0), List.of(1));
        var k2 = new dev.modelc.loops.LoopProgram.Kernel("sum", block(declare("s", scalar(DType.F64), f64(0)),
                loop("i", idx(0), idx(10), assign("s", add(v("s", scalar(DType.F64)), load(1, v("i"), DType.F64)))),
                store(2, idx(0), v("s", scalar(DType.F64)))), List.of(1), List.of(2));
        var p = new dev.modelc.loops.LoopProgram("two", List.of(), buffers, List.of(k1, k2), Map.of("x", 0), Map.of("y", 2, "t", 1));
        double[] x = new double[10];
        for (int i = 0; i < 10; i++) x[i] = i * 0.37 - 1;
        Agreement.assertAgrees(backend, p, Map.of("x", Tensor.of(x, 10)), Map.of());
    }

    /** Index / and % floor (as on integers), by constants of either sign and by a dimension; min and max of indices. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void indexArithmeticFloors(TestBackend backend) {
        int size = 21;
        var p = program(List.of("D"), List.of(temp(0, "y", DType.I64, n(size), n(6))),
                loop("i", idx(0), idx(size),
                        declare("x", IDX, sub(v("i"), idx(10))),
                        declare("row", IDX, mul(v("i"), idx(6))),
                        store(0, v("row", IDX), cast(div(v("x", IDX), idx(4)), I64)),
                        store(0, add(v("row", IDX), idx(1)), cast(mod(v("x", IDX), idx(4)), I64)),
                        store(0, add(v("row", IDX), idx(2)), cast(div(v("x", IDX), idx(-3)), I64)),
                        store(0, add(v("row", IDX), idx(3)), cast(mod(v("x", IDX), idx(-3)), I64)),
                        store(0, add(v("row", IDX), idx(4)), cast(mod(v("x", IDX), dim("D")), I64)),
                        store(0, add(v("row", IDX), idx(5)), cast(binary(BinaryFn.MAX, binary(BinaryFn.MIN, v("x", IDX), idx(3)), idx(-2)), I64))));
        Agreement.assertAgrees(backend, p, Map.of(), Map.of("D", 7L));
    }

    /**
     * A loop's bounds are read once, on entry, though its body changes what they were computed
     * from; a loop counter hides an outer local of its name, which is back after the loop.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void loopBoundsAreReadOnceAndCountersHideLocals(TestBackend backend) {
        var p = program(List.of(temp(0, "y", DType.I64, n(12))),
                loop("z", idx(0), idx(12), store(0, v("z"), i64(-1))),
                declare("n", IDX, idx(5)),
                declare("i", IDX, idx(100)),
                loop("i", sub(v("n", IDX), idx(4)), v("n", IDX),
                        assign("n", add(v("n", IDX), idx(1))),
                        store(0, v("i"), cast(v("n", IDX), I64))),
                store(0, idx(10), cast(v("i"), I64)),
                store(0, idx(11), cast(v("n", IDX), I64)));
        var out = Agreement.assertAgrees(backend, p, Map.of(), Map.of());
        assertEquals(100, out.get("y").getLong(10));
        assertEquals(9, out.get("y").getLong(11));
    }
}
