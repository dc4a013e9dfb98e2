package dev.modelc.codegen.jvm;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.Samples;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operations that use the Vector API directly, run long enough for C2 to compile them: C2
 * replaces the Vector API's Java code with machine instructions (vmaxps, vcvttps2dq, ...) whose
 * edge cases (NaN, -0, out-of-range conversions) must still give the interpreter's results. Each
 * program repeats its work {@code R} times; the evaluator runs it once, the compiled class
 * {@value #REPEATS} times, the last repetitions in C2's code.
 */
class HotAgreementTest {
    static final int REPEATS = 30_000;

    /** AVX2's native shapes: 256 bits, and 128 for f32. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(DType.F32, 8), Arguments.of(DType.F32, 4), Arguments.of(DType.F64, 4), Arguments.of(DType.I32, 8),
                Arguments.of(DType.I64, 4));
    }

    static Stream<Arguments> unaryCases() {
        var out = new ArrayList<Arguments>();
        shapes().forEach(s -> {
            for (UnaryFn fn : List.of(UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQUARE, UnaryFn.RELU, UnaryFn.SQRT)) {
                if (fn != UnaryFn.SQRT || ((DType) s.get()[0]).isFloat()) out.add(Arguments.of(fn, s.get()[0], s.get()[1]));
            }
        });
        return out.stream();
    }

    static Stream<Arguments> binaryCases() {
        var out = new ArrayList<Arguments>();
        shapes().forEach(s -> {
            for (BinaryFn fn : BinaryFn.values()) {
                DType t = (DType) s.get()[0];
                boolean native_ = fn.isComparison() || switch (fn) {
                    case ADD, SUB, MUL, MAX, MIN -> true;
                    case DIV -> t.isFloat();
                    default -> false;
                };
                if (native_) out.add(Arguments.of(fn, t, s.get()[1]));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("unaryCases")
    void unaryFunction(UnaryFn fn, DType t, int lanes) {
        check(List.of(t), t, lanes, (i, l) -> dev.modelc.loops.LoopIr.unary(fn, loadLanes(0, i, t, l)));
    }

    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("binaryCases")
    void binaryFunction(BinaryFn fn, DType t, int lanes) {
        check(List.of(t, t), fn.isComparison() ? DType.BOOL : t, lanes,
                (i, l) -> dev.modelc.loops.LoopIr.binary(fn, loadLanes(0, i, t, l), loadLanes(1, i, t, l)));
    }

    static Stream<Arguments> castCases() {
        var out = new ArrayList<Arguments>();
        for (DType from : Samples.TYPES) for (DType to : Samples.TYPES) if (from != to) out.add(Arguments.of(from, to));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("castCases")
    void conversion(DType from, DType to) {
        check(List.of(from), to, 4, (i, l) -> dev.modelc.loops.LoopIr.cast(loadLanes(0, i, from, l), type(to, l)));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("shapes")
    void selectFmaAndReductions(DType t, int lanes) {
        check(List.of(t, t), t, lanes, (i, l) -> {
            Expr a = loadLanes(0, i, t, l), b = loadLanes(1, i, t, l);
            return fma(dev.modelc.loops.LoopIr.select(binary(BinaryFn.GT, a, b), a, b), b, a);
        });
        for (BinaryFn fn : List.of(BinaryFn.ADD, BinaryFn.MAX, BinaryFn.MIN, BinaryFn.MUL)) {
            check(List.of(t), t, lanes, (i, l) -> {
                Expr a = loadLanes(0, i, t, l);
                Expr r = dev.modelc.loops.LoopIr.reduceLanes(fn, a);
                return l == 1 ? a : splat(r, l);
            });
        }
    }

    /** y = f(inputs) over the samples, vectors then a tail, repeated R times. */
    private static void check(List<DType> inputs, DType result, int lanes, BiFunction<Expr, Integer, Expr> f) {
        var buffers = new ArrayList<LoopProgram.Buffer>();
        var tensors = new java.util.HashMap<String, Tensor>();
        for (int k = 0; k < inputs.size(); k++) {
            buffers.add(input(k, "a" + k, inputs.get(k), n(Samples.N)));
            tensors.put("a" + k, Samples.tensor(k == 0 ? Samples.first(inputs.get(k)) : Samples.second(inputs.get(k))));
        }
        int y = inputs.size();
        buffers.add(temp(y, "y", result, n(Samples.N)));
        Stmt repeated = loop("r", idx(0), dim("R"), vectorThenTail(y, idx(Samples.N), lanes, f));
        var p = program(List.of("R"), buffers, repeated);
        var expected = LoopEvaluator.run(p, tensors, Map.of("R", 1L));
        Agreement.assertSame(expected, JvmCompiler.compile(p).run(tensors, Map.of("R", (long) REPEATS)));
    }

}
