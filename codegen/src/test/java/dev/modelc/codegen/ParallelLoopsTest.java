package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Parallel loops on every backend: outlined bodies, captured locals of every scalar kind, nesting, errors inside chunks. */
class ParallelLoopsTest {
    /** Large enough that the estimated work passes Parallel.MIN_WORK and the range really is split. */
    private static final int N = 300_003;
    private static final LType F32 = scalar(DType.F32), F64 = scalar(DType.F64), I32 = scalar(DType.I32), I64 = scalar(DType.I64),
            BOOL = scalar(DType.BOOL), IDX = LType.INDEX;

    private static float[] data(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(i * 0.001) * 3;
        return x;
    }

    /** y = x * alpha + (beta + ioff + loff), or -x where the flag is off, over vectors then a tail, with every kind captured. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void capturedLocalsOfEveryKindReachTheBody(TestBackend backend) {
        var v8 = vec(DType.F32, 8);
        Expr offset = add(add(cast(v("beta", F64), F32), cast(v("ioff", I32), F32)), cast(v("loff", I64), F32));
        Expr x = load(0, mul(v("b"), idx(8)), v8);
        var p = program(List.of("N"), List.of(input(0, "x", DType.F32, dimVar("N")), temp(1, "y", DType.F32, dimVar("N"))),
                declare("alpha", F32, f32(1.5)),
                declare("beta", F64, f64(0.25)),
                declare("ioff", I32, i32(-3)),
                declare("loff", I64, i64(1L << 40)),
                declare("flag", BOOL, bool(true)),
                declare("vectors", IDX, div(dim("N"), idx(8))),
                parallel("b", idx(0), v("vectors", IDX),
                        store(1, mul(v("b"), idx(8)), dev.modelc.loops.LoopIr.select(v("flag", BOOL),
                                fma(x, splat(v("alpha", F32), 8), splat(offset, 8)), dev.modelc.loops.LoopIr.unary(dev.modelc.graph.Op.UnaryFn.NEG, x)))),
                parallel("t", mul(v("vectors", IDX), idx(8)), dim("N"),
                        store(1, v("t"), fma(load(0, v("t"), DType.F32), v("alpha", F32), offset))));
        Agreement.assertAgrees(backend, p, Map.of("x", Tensor.of(data(N), N)), Map.of("N", (long) N));
    }

    /** A parallel loop inside a parallel loop (run inline inside a chunk), with a step; tanh makes the work worth splitting. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void nestedParallelLoopsWithSteps(TestBackend backend) {
        int rows = 301, cols = 1001;
        var p = program(List.of("R", "C"), List.of(input(0, "x", DType.F32, dimVar("R"), dimVar("C")), temp(1, "y", DType.F32, dimVar("R"), dimVar("C"))),
                parallel("r", idx(0), dim("R"),
                        declare("row", IDX, mul(v("r"), dim("C"))),
                        parallel("c", idx(0), dim("C"), 3,
                                store(1, add(v("row", IDX), v("c")), dev.modelc.loops.LoopIr.unary(dev.modelc.graph.Op.UnaryFn.TANH,
                                        mul(load(0, add(v("row", IDX), v("c")), DType.F32), cast(v("r"), F32)))))));
        Agreement.assertAgrees(backend, p, Map.of("x", Tensor.of(data(rows * cols), rows, cols)), Map.of("R", (long) rows, "C", (long) cols));
    }

    /**
     * Split parallel loops that start past 0 and step by 3, inside a serial loop whose counter
     * they read: each element is written by exactly one of them, with its own multiplier, only if
     * every chunk starts on one of its loop's iterations.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void steppedParallelLoopsInsideASerialLoop(TestBackend backend) {
        var p = program(List.of("N"), List.of(input(0, "x", DType.F32, dimVar("N")), temp(1, "y", DType.F32, dimVar("N"))),
                parallel("z", idx(0), dim("N"), store(1, v("z"), f32(-1))),
                loop("r", idx(0), idx(3),
                        declare("scale", F32, cast(add(v("r"), idx(1)), F32)),
                        parallel("i", add(v("r"), idx(1)), dim("N"), 3,
                                store(1, v("i"), add(mul(load(0, v("i"), DType.F32), v("scale", F32)), f32(0.5))))));
        Agreement.assertAgrees(backend, p, Map.of("x", Tensor.of(data(N), N)), Map.of("N", (long) N));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void failuresInsideChunksReachTheCaller(TestBackend backend) {
        var p = program(List.of("N"), List.of(input(0, "x", DType.I32, dimVar("N")), temp(1, "y", DType.I32, dimVar("N"))),
                parallel("i", idx(0), dim("N"), store(1, v("i"), binary(BinaryFn.DIV, i32(1), load(0, v("i"), DType.I32)))));
        int[] x = new int[N];
        java.util.Arrays.fill(x, 1);
        x[N - 7] = 0;
        var compiled = backend.compile(p);
        assertThrows(ArithmeticException.class, () -> compiled.run(Map.of("x", Tensor.of(x, N)), Map.of("N", (long) N)));
    }
}
