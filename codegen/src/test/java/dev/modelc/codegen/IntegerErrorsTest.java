package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.Samples;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.interp.InterpreterException;
import dev.modelc.loops.LoopEvaluator;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The integer element errors, division or modulo by zero and a negative power: the evaluator
 * rejects them, and a compiled program fails its run with an ArithmeticException (the JVM
 * backend throws it where it happens; native code records it and the runner throws it after the
 * run). The same compiled program then runs good inputs as if nothing had happened.
 */
class IntegerErrorsTest {
    static Stream<Arguments> cases() {
        var out = new ArrayList<Arguments>();
        for (BinaryFn fn : List.of(BinaryFn.DIV, BinaryFn.MOD, BinaryFn.POW)) {
            for (DType t : List.of(DType.I32, DType.I64)) {
                for (int lanes : new int[] {1, 4}) out.add(Arguments.of(fn, t, lanes));
            }
        }
        return TestBackend.each(out.stream());
    }

    @ParameterizedTest(name = "{0} {1} {2} x{3}")
    @MethodSource("cases")
    void failsTheRunThenRunsAgain(TestBackend backend, BinaryFn fn, DType t, int lanes) {
        var p = program(List.of(input(0, "a", t, n(Samples.N)), input(1, "b", t, n(Samples.N)), temp(2, "y", t, n(Samples.N))),
                vectorThenTail(2, idx(Samples.N), lanes, (i, l) -> binary(fn, loadLanes(0, i, t, l), loadLanes(1, i, t, l))));
        Object b = fn == BinaryFn.POW ? Samples.exponents(t) : Samples.second(t);
        var good = Map.of("a", Samples.tensor(Samples.first(t)), "b", Samples.tensor(b));
        var bad = Map.of("a", good.get("a"), "b", Samples.tensor(withBadOperand(b, fn == BinaryFn.POW ? -1 : 0)));

        assertThrows(InterpreterException.class, () -> LoopEvaluator.run(p, bad, Map.of()));
        var compiled = backend.compile(p);
        assertThrows(ArithmeticException.class, () -> compiled.run(bad, Map.of()));
        Agreement.assertSame(LoopEvaluator.run(p, good, Map.of()), compiled.run(good, Map.of()));
    }

    /** A copy of the int or long array {@code b} with {@code value} at one place in a vector and one in the scalar tail. */
    private static Object withBadOperand(Object b, int value) {
        Object copy = b instanceof int[] v ? v.clone() : ((long[]) b).clone();
        Array.setInt(copy, 5, value);
        Array.setInt(copy, Samples.N - 1, value);
        return copy;
    }
}
