package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.Samples;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Casts between every pair of dtypes, select, fma, splat and lane reductions, as scalars and vectors. */
class VectorFormsTest {
    static Stream<Arguments> castCases() {
        var out = new ArrayList<Arguments>();
        var odd = new ArrayList<Arguments>();
        for (DType from : Samples.TYPES) {
            for (DType to : Samples.TYPES) {
                for (int lanes : new int[] {1, 4, 8}) out.add(Arguments.of(from, to, lanes));
                odd.add(Arguments.of(from, to, ElementOpsTest.ODD_LANES));
            }
        }
        return Stream.concat(TestBackend.each(out.stream()), TestBackend.LLVM.with(odd.stream()));
    }

    /** 8 lanes of a 64-bit type is a 512-bit vector: valid, if slow on AVX2. */
    @ParameterizedTest(name = "{0} {1} to {2} x{3}")
    @MethodSource("castCases")
    void casts(TestBackend backend, DType from, DType to, int lanes) {
        var p = program(List.of(input(0, "a", from, n(Samples.N)), temp(1, "y", to, n(Samples.N))),
                vectorThenTail(1, idx(Samples.N), lanes, (i, l) -> cast(loadLanes(0, i, from, l), type(to, l))));
        Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(Samples.first(from))), Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void indexCastsToAndFromElements(TestBackend backend) {
        var p = program(List.of(input(0, "a", DType.I64, n(Samples.N)), temp(1, "f", DType.F32, n(Samples.N)),
                        temp(2, "d", DType.F64, n(Samples.N)), temp(3, "i", DType.I32, n(Samples.N)), temp(4, "b", DType.BOOL, n(Samples.N)),
                        temp(5, "back", DType.I64, n(Samples.N))),
                loop("i", idx(0), idx(Samples.N),
                        store(1, v("i"), cast(mul(v("i"), idx(1_000_003)), scalar(DType.F32))),
                        store(2, v("i"), cast(sub(v("i"), idx(9)), scalar(DType.F64))),
                        store(3, v("i"), cast(v("i"), scalar(DType.I32))),
                        store(4, v("i"), cast(mod(v("i"), idx(3)), scalar(DType.BOOL))),
                        // an i64 element as an index, used to address
                        store(5, v("i"), load(0, cast(binary(BinaryFn.MIN, cast(v("i"), scalar(DType.I64)), i64(18)), LType.INDEX), DType.I64))));
        Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(Samples.first(DType.I64))), Map.of());
    }

    static Stream<Arguments> typedLanes() { return lanesOf(Samples.TYPES); }

    static Stream<Arguments> numericLanes() { return lanesOf(Samples.TYPES.stream().filter(t -> t != DType.BOOL).toList()); }

    /** Each type as a scalar and at two widths on every backend, and at an odd width on LLVM. */
    private static Stream<Arguments> lanesOf(List<DType> types) {
        var out = new ArrayList<Arguments>();
        for (DType t : types) for (int lanes : new int[] {1, 4, 8}) out.add(Arguments.of(t, lanes));
        var odd = types.stream().map(t -> Arguments.of(t, ElementOpsTest.ODD_LANES));
        return Stream.concat(TestBackend.each(out.stream()), TestBackend.LLVM.with(odd));
    }

    /** select(a < b, a, b) with a vector condition, then select(c, a, b) with a scalar one (i < 5). */
    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("typedLanes")
    void select(TestBackend backend, DType t, int lanes) {
        int size = Samples.N;
        var p = program(List.of(input(0, "a", t, n(size)), input(1, "b", t, n(size)), temp(2, "y", t, n(size)), temp(3, "z", t, n(size))),
                concat(vectorThenTail(2, idx(size), lanes, (i, l) -> {
                    Expr a = loadLanes(0, i, t, l), b = loadLanes(1, i, t, l);
                    return dev.modelc.loops.LoopIr.select(binary(BinaryFn.LT, a, b), a, b);
                }), vectorThenTail(3, idx(size), lanes, (i, l) ->
                        dev.modelc.loops.LoopIr.select(lt(i, idx(5)), loadLanes(0, i, t, l), loadLanes(1, i, t, l)))));
        Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(Samples.first(t)), "b", Samples.tensor(Samples.second(t))), Map.of());
    }

    /** fma(a, b, splat(c)) where c is a scalar from the input, so the rounding of every lane shows. */
    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("numericLanes")
    void fmaAndSplat(TestBackend backend, DType t, int lanes) {
        var p = program(List.of(input(0, "a", t, n(Samples.N)), input(1, "b", t, n(Samples.N)), temp(2, "y", t, n(Samples.N))),
                vectorThenTail(2, idx(Samples.N), lanes, (i, l) -> {
                    Expr c = dev.modelc.loops.LoopIr.load(1, idx(9), scalar(t));
                    return fma(loadLanes(0, i, t, l), loadLanes(1, i, t, l), l == 1 ? c : splat(c, l));
                }));
        Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(Samples.first(t)), "b", Samples.tensor(Samples.second(t))), Map.of());
    }

    static Stream<Arguments> reductions() {
        var out = new ArrayList<Arguments>();
        var odd = new ArrayList<Arguments>();
        for (DType t : Samples.TYPES) {
            var fns = t == DType.BOOL ? List.of(BinaryFn.AND, BinaryFn.OR) : List.of(BinaryFn.ADD, BinaryFn.MUL, BinaryFn.MAX, BinaryFn.MIN);
            for (BinaryFn fn : fns) {
                for (int lanes : new int[] {4, 8}) out.add(Arguments.of(fn, t, lanes));
                odd.add(Arguments.of(fn, t, ElementOpsTest.ODD_LANES));
            }
        }
        return Stream.concat(TestBackend.each(out.stream()), TestBackend.LLVM.with(odd.stream()));
    }

    /** lanes_fn(load(a, i)) for each whole vector of the samples, and over a splat of a bool. */
    @ParameterizedTest(name = "{0} {1} {2} x{3}")
    @MethodSource("reductions")
    void reduceLanes(TestBackend backend, BinaryFn fn, DType t, int lanes) {
        int vectors = Samples.N / lanes;
        var p = program(List.of(input(0, "a", t, n(Samples.N)), temp(1, "y", t, n(vectors + 1))),
                loop("v", idx(0), idx(vectors), store(1, v("v"), dev.modelc.loops.LoopIr.reduceLanes(fn, loadLanes(0, mul(v("v"), idx(lanes)), t, lanes)))),
                store(1, idx(vectors), dev.modelc.loops.LoopIr.reduceLanes(fn, splat(dev.modelc.loops.LoopIr.load(0, idx(4), scalar(t)), lanes))));
        Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(Samples.first(t))), Map.of());
    }

    /**
     * {@code a * b + c} written as two operations rounds twice: a backend must not contract it
     * into one fma. With {@code c = -(a * b)} rounded, the separate operations give exactly 0 and
     * a fused one the product's rounding error.
     */
    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("floatLanes")
    void multiplyThenAddRoundsTwice(TestBackend backend, DType t, int lanes) {
        int size = 37;
        var rnd = new Random(5);
        double[] a = new double[size], b = new double[size], c = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = t == DType.F32 ? (float) rnd.nextGaussian() : rnd.nextGaussian();
            b[i] = t == DType.F32 ? (float) rnd.nextGaussian() : rnd.nextGaussian();
            c[i] = t == DType.F32 ? -(float) (a[i] * b[i]) : -(a[i] * b[i]);
        }
        var p = program(List.of(input(0, "a", t, n(size)), input(1, "b", t, n(size)), input(2, "c", t, n(size)), temp(3, "y", t, n(size))),
                vectorThenTail(3, idx(size), lanes, (i, l) -> add(mul(loadLanes(0, i, t, l), loadLanes(1, i, t, l)), loadLanes(2, i, t, l))));
        var out = Agreement.assertAgrees(backend, p, Map.of("a", floats(t, a), "b", floats(t, b), "c", floats(t, c)), Map.of());
        for (int i = 0; i < size; i++) assertEquals(0.0, out.get("y").getDouble(i), "y[" + i + "]");
    }

    static Stream<Arguments> floatLanes() { return lanesOf(List.of(DType.F32, DType.F64)); }

    private static Tensor floats(DType t, double[] values) {
        if (t == DType.F64) return Samples.tensor(values);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Samples.tensor(f);
    }

    /** Float sums that depend on the order: the lanes fold left to right. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void floatLaneSumsFoldLeftToRight(TestBackend backend) {
        float[] a = {1e8f, 1, -1e8f, 1, 3e-8f, 1, 1e-8f, -1};
        var p = program(List.of(input(0, "a", DType.F32, n(8)), temp(1, "s", DType.F32, n(1))),
                store(1, idx(0), dev.modelc.loops.LoopIr.reduceLanes(BinaryFn.ADD, loadLanes(0, idx(0), DType.F32, 8))));
        var out = Agreement.assertAgrees(backend, p, Map.of("a", Samples.tensor(a)), Map.of());
        float expected = 0;
        for (float f : a) expected += f;
        assertEquals(expected, out.get("s").getFloat(0));
    }

    /** Bool vectors: a mask from a double comparison (4 lanes) combined with one from a float comparison and one loaded. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void masksFromDifferentSpeciesCombine(TestBackend backend) {
        int size = 16;
        var v4f = vec(DType.F32, 4);
        var v4d = vec(DType.F64, 4);
        var v4b = vec(DType.BOOL, 4);
        var p = program(List.of(input(0, "f", DType.F32, n(size)), input(1, "d", DType.F64, n(size)), input(2, "m", DType.BOOL, n(size)),
                        temp(3, "y", DType.BOOL, n(size)), temp(4, "z", DType.F64, n(size))),
                loop("i", idx(0), idx(size), 4,
                        declare("c", v4b, binary(BinaryFn.OR, binary(BinaryFn.LT, load(1, v("i"), v4d), splat(f64(0), 4)),
                                binary(BinaryFn.GE, load(0, v("i"), v4f), splat(f32(1), 4)))),
                        assign("c", binary(BinaryFn.NE, v("c", v4b), load(2, v("i"), v4b))),
                        store(3, v("i"), binary(BinaryFn.LE, v("c", v4b), dev.modelc.loops.LoopIr.unary(dev.modelc.graph.Op.UnaryFn.NOT, load(2, v("i"), v4b)))),
                        store(4, v("i"), dev.modelc.loops.LoopIr.select(v("c", v4b), load(1, v("i"), v4d), splat(f64(-1), 4)))));
        float[] f = new float[size];
        double[] d = new double[size];
        boolean[] m = new boolean[size];
        for (int i = 0; i < size; i++) {
            f[i] = (i % 5) * 0.5f;
            d[i] = (i % 3) - 1;
            m[i] = i % 4 == 1;
        }
        Agreement.assertAgrees(backend, p, Map.of("f", Samples.tensor(f), "d", Samples.tensor(d), "m", Samples.tensor(m)), Map.of());
    }

    private static dev.modelc.loops.Stmt[] concat(dev.modelc.loops.Stmt[] a, dev.modelc.loops.Stmt[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(dev.modelc.loops.Stmt[]::new);
    }
}
