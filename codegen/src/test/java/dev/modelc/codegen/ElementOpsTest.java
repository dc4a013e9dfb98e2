package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.Samples;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unary and binary function on every dtype, as vectors of several widths with a scalar
 * tail, on every backend: the compiled result equals the evaluator's, and where the evaluator
 * (the interpreter) rejects a function on a dtype, compilation rejects it too.
 */
class ElementOpsTest {
    /** Lane counts with a Vector API species for each dtype (bool vectors are masks of the int species). */
    static int[] lanes(DType t) {
        return t == DType.F64 || t == DType.I64 ? new int[] {2, 4, 8} : new int[] {4, 8, 16};
    }

    /** A width no SIMD register has, which LLVM legalises (widening or splitting) and the JVM backend refuses. */
    static final int ODD_LANES = 3;

    static Stream<Arguments> unaryCases() { return cases(UnaryFn.values()); }

    static Stream<Arguments> binaryCases() { return cases(BinaryFn.values()); }

    /** Every function on every dtype at every width on every backend, and at {@link #ODD_LANES} on LLVM. */
    private static Stream<Arguments> cases(Object[] fns) {
        var common = new ArrayList<Arguments>();
        var odd = new ArrayList<Arguments>();
        for (DType t : Samples.TYPES) {
            for (Object fn : fns) {
                for (int l : lanes(t)) common.add(Arguments.of(fn, t, l));
                odd.add(Arguments.of(fn, t, ODD_LANES));
            }
        }
        return Stream.concat(TestBackend.each(common.stream()), TestBackend.LLVM.with(odd.stream()));
    }

    @ParameterizedTest(name = "{0} {1} {2} x{3}")
    @MethodSource("unaryCases")
    void unary(TestBackend backend, UnaryFn fn, DType t, int lanes) {
        var p = program(List.of(input(0, "a", t, n(Samples.N)), temp(1, "y", t, n(Samples.N))),
                vectorThenTail(1, idx(Samples.N), lanes, (i, l) -> dev.modelc.loops.LoopIr.unary(fn, loadLanes(0, i, t, l))));
        check(backend, p, Map.of("a", Samples.tensor(Samples.first(t))));
    }

    @ParameterizedTest(name = "{0} {1} {2} x{3}")
    @MethodSource("binaryCases")
    void binary(TestBackend backend, BinaryFn fn, DType t, int lanes) {
        DType result = fn.isComparison() ? DType.BOOL : t;
        var p = program(List.of(input(0, "a", t, n(Samples.N)), input(1, "b", t, n(Samples.N)), temp(2, "y", result, n(Samples.N))),
                vectorThenTail(2, idx(Samples.N), lanes,
                        (i, l) -> dev.modelc.loops.LoopIr.binary(fn, loadLanes(0, i, t, l), loadLanes(1, i, t, l))));
        Object b = fn == BinaryFn.POW ? Samples.exponents(t) : Samples.second(t);
        check(backend, p, Map.of("a", Samples.tensor(Samples.first(t)), "b", Samples.tensor(b)));
    }

    /** Agreement, or the same rejection: the interpreter's error where the function is undefined on the dtype. */
    static void check(TestBackend backend, LoopProgram p, Map<String, Tensor> inputs) {
        Map<String, Tensor> expected;
        try {
            expected = LoopEvaluator.run(p, inputs, Map.of());
        } catch (InterpreterException undefined) {
            assertThrows(UnsupportedOperationException.class, () -> backend.compile(p), undefined.getMessage());
            return;
        }
        Agreement.assertSame(expected, backend.compile(p).run(inputs, Map.of()), backend.ulps(p));
    }
}
