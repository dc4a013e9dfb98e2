package dev.modelc.autodiff;

import static dev.modelc.autodiff.GradientCheck.*;
import static dev.modelc.graph.Op.BinaryFn.*;

import dev.modelc.autodiff.GradientCheck.Arg;
import dev.modelc.autodiff.GradientCheck.Body;
import dev.modelc.autodiff.GradientCheck.Case;
import dev.modelc.autodiff.GradientCheck.Draw;
import dev.modelc.check.DType;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TypeRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every VJP rule of {@link Vjp} against central differences in f64 (see {@link GradientCheck} for
 * the objective, the step and the tolerance). Each op is checked on its own graph, on several
 * shapes and attribute settings: broadcast patterns, every axis of every reduction, window strides,
 * dilations and paddings, slice steps of both signs, and so on. Each case is a separate test named
 * by op, shapes and attributes; its random values come from a seed derived from that name, which
 * a failure prints. The last group differentiates first-order gradient graphs once more.
 */
class VjpFiniteDifferenceTest {
    /** Values for operands the op puts no restriction on. */
    private static final Draw ANY = Draw.uniform(-2, 2);

    // ---- elementwise ----

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unary(Case c) { check(c); }

    static List<Case> unary() {
        var shapes = new Random(101);
        var out = new ArrayList<Case>();
        for (var fn : UnaryFn.values()) {
            if (fn == UnaryFn.NOT) continue; // bool
            for (long[] s : List.of(new long[0], randomShape(shapes, 1 + shapes.nextInt(3)))) {
                boolean zero = switch (fn) {
                    case SIGN, FLOOR, CEIL, ROUND -> true;
                    default -> false;
                };
                var x = new Arg("x", s, unaryDraw(fn), true, zero);
                out.add(new Case(fn.mnemonic() + " x" + shape(s), List.of(x), one((b, a) -> b.unary(fn, a.get(0)))));
            }
        }
        return out;
    }

    /** Inside each function's domain and away from its kinks and jumps. */
    private static Draw unaryDraw(UnaryFn fn) {
        return switch (fn) {
            case ABS, RELU, SIGN -> Draw.awayFromZero(0.1, 2);
            case LOG, SQRT, RSQRT -> Draw.uniform(0.3, 3);
            case LOG1P -> Draw.uniform(-0.7, 2);
            case FLOOR, CEIL, ROUND -> Draw.offGrid();
            default -> ANY;
        };
    }

    /** Operand shapes for NumPy broadcasting (the builder makes the Broadcast nodes explicit). */
    private static final long[][][] BROADCASTS = {
        {{2, 3}, {2, 3}}, {{}, {3, 4}}, {{3, 4}, {}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{4}, {2, 3, 1}},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void binary(Case c) { check(c); }

    static List<Case> binary() {
        var out = new ArrayList<Case>();
        for (var fn : List.of(ADD, SUB, MUL, DIV, POW, MOD, MAX, MIN)) {
            Draw[] draws = switch (fn) {
                case DIV -> new Draw[] {ANY, Draw.awayFromZero(0.5, 2)};
                case POW -> new Draw[] {Draw.uniform(0.5, 2), ANY};
                // l/r stays at least 0.06 from an integer for every pairing (the jumps of mod).
                case MOD -> new Draw[] {Draw.lattice(0.125), Draw.oneOf(-2, -1, -0.5, 0.5, 1, 2)};
                case MAX, MIN -> new Draw[] {Draw.lattice(0), Draw.lattice(0.1)}; // no ties
                default -> new Draw[] {ANY, ANY};
            };
            for (long[][] p : BROADCASTS) {
                out.add(new Case(fn.mnemonic() + " " + shape(p[0]) + " " + shape(p[1]),
                        List.of(Arg.of("l", draws[0], p[0]), Arg.of("r", draws[1], p[1])),
                        one((b, a) -> b.binaryBroadcast(fn, a.get(0), a.get(1)))));
            }
        }
        // One value as both operands: the two contributions must add up.
        for (var fn : List.of(MUL, DIV, POW, SUB)) {
            out.add(new Case(fn.mnemonic() + " x x, x[2,3]", List.of(Arg.of("x", Draw.uniform(0.5, 2), 2, 3)),
                    one((b, a) -> b.binary(fn, a.get(0), a.get(0)))));
        }
        // A negative base needs an integer exponent, which is then held fixed.
        for (long[][] p : List.of(new long[][] {{2, 3}, {2, 3}}, new long[][] {{3, 4}, {}})) {
            out.add(new Case("pow negative base, integer exponent " + shape(p[0]) + " " + shape(p[1]),
                    List.of(Arg.of("l", Draw.awayFromZero(0.5, 2), p[0]), Arg.fixed("r", Draw.oneOf(-2, -1, 0, 1, 2, 3), p[1])),
                    one((b, a) -> b.binaryBroadcast(POW, a.get(0), a.get(1)))));
        }
        // x ** 0 at x = 0: the slope 0 * x^-1 would be NaN; it is 0, as in PyTorch
        out.add(new Case("pow zero base, integer exponent [3,4] []",
                List.of(Arg.of("l", Draw.oneOf(0, 0.75, -1.25), 3, 4), Arg.fixed("r", Draw.oneOf(0), new long[0])),
                one((b, a) -> b.binaryBroadcast(POW, a.get(0), a.get(1)))));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void select(Case c) { check(c); }

    static List<Case> select() {
        long[][][] shapes = {{{2, 3}, {2, 3}, {2, 3}}, {{2, 3}, {}, {2, 3}}, {{3, 1}, {1, 4}, {3, 4}}, {{}, {2, 3}, {2, 3}}};
        var out = new ArrayList<Case>();
        for (long[][] s : shapes) {
            out.add(new Case("select c" + shape(s[0]) + " a" + shape(s[1]) + " b" + shape(s[2]),
                    List.of(Arg.fixed("c", ANY, s[0]), Arg.of("a", ANY, s[1]), Arg.of("b", ANY, s[2])),
                    one((b, a) -> b.select(b.binaryBroadcast(GT, a.get(0), b.scalar(0, DType.F64)), a.get(1), a.get(2)))));
        }
        // Convert is the identity on f64 (f32 rounding would swamp a difference of step 1e-6).
        out.add(new Case("convert f64->f64 x[2,3]", List.of(Arg.of("x", ANY, 2, 3)),
                one((b, a) -> b.emit(new Convert(), List.of(a.get(0)), b.type(a.get(0))))));
        return out;
    }

    // ---- shapes ----

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void shapes(Case c) { check(c); }

    static List<Case> shapes() {
        var out = new ArrayList<Case>();
        Object[][] broadcasts = {
            {new long[] {3}, List.of(1), new long[] {2, 3}}, {new long[] {3}, List.of(0), new long[] {3, 2}},
            {new long[] {2, 1, 4}, List.of(0, 1, 2), new long[] {2, 3, 4}}, {new long[] {}, List.of(), new long[] {2, 3}},
            {new long[] {3, 1}, List.of(1, 2), new long[] {2, 3, 4}}, {new long[] {1, 1}, List.of(0, 1), new long[] {3, 4}},
            {new long[] {2, 4}, List.of(0, 2), new long[] {2, 3, 4}},
        };
        for (Object[] c : broadcasts) {
            long[] from = (long[]) c[0], to = (long[]) c[2];
            @SuppressWarnings("unchecked") var dims = (List<Integer>) c[1];
            out.add(new Case("broadcast x" + shape(from) + " dims " + dims + " to " + shape(to), List.of(Arg.of("x", ANY, from)),
                    one((b, a) -> b.broadcast(a.get(0), dims, dims(to)))));
        }
        long[][][] reshapes = {{{2, 3, 4}, {6, 4}}, {{4, 6}, {2, 2, 6}}, {{}, {1, 1}}, {{6}, {2, 3}}, {{2, 3}, {3, 2}}, {{1, 5}, {5}}};
        for (long[][] r : reshapes) {
            out.add(new Case("reshape x" + shape(r[0]) + " to " + shape(r[1]), List.of(Arg.of("x", ANY, r[0])),
                    one((b, a) -> b.reshape(a.get(0), dims(r[1])))));
        }
        Object[][] transposes = {
            {new long[] {3, 4}, List.of(1, 0)}, {new long[] {2, 3, 4}, List.of(0, 2, 1)}, {new long[] {2, 3, 4}, List.of(1, 0, 2)},
            {new long[] {2, 3, 4}, List.of(1, 2, 0)}, {new long[] {2, 3, 4}, List.of(2, 0, 1)}, {new long[] {2, 3, 4}, List.of(2, 1, 0)},
            {new long[] {2, 3, 1, 4}, List.of(3, 1, 0, 2)}, {new long[] {2, 3, 2, 2}, List.of(0, 2, 1, 3)},
        };
        for (Object[] t : transposes) {
            long[] s = (long[]) t[0];
            @SuppressWarnings("unchecked") var perm = (List<Integer>) t[1];
            out.add(new Case("transpose x" + shape(s) + " perm " + perm, List.of(Arg.of("x", ANY, s)),
                    one((b, a) -> b.transpose(a.get(0), perm))));
        }
        var rnd = new Random(202);
        for (int rank = 1; rank <= 3; rank++) for (int k = 0; k < 5; k++) out.add(randomSlice(rnd, rank));
        for (int rank = 1; rank <= 3; rank++) for (int k = 0; k < 4; k++) out.add(randomPad(rnd, rank, k % 2 == 1));
        for (int rank = 1; rank <= 3; rank++) {
            for (int axis = 0; axis < rank; axis++) for (int parts = 2; parts <= 3; parts++) out.add(concat(rnd, rank, axis, parts));
        }
        return out;
    }

    /** A slice with random starts, steps of both signs (|step| up to 3) and as many elements as fit, at least 1. */
    private static Case randomSlice(Random rnd, int rank) {
        long[] in = randomShape(rnd, rank, 2, 6), out = new long[rank], start = new long[rank];
        var step = new ArrayList<Long>();
        for (int a = 0; a < rank; a++) {
            long st = List.of(1L, 2L, 3L, -1L, -2L).get(rnd.nextInt(5));
            start[a] = rnd.nextInt((int) in[a]);
            long room = st > 0 ? (in[a] - 1 - start[a]) / st + 1 : start[a] / -st + 1;
            out[a] = 1 + rnd.nextInt((int) room);
            step.add(st);
        }
        return new Case("slice x" + shape(in) + " start " + shape(start) + " step " + step + " to " + shape(out),
                List.of(Arg.of("x", ANY, in)), one((b, a) -> b.slice(a.get(0), dims(start), step, dims(out))));
    }

    /** Padding with random low, interior and high; {@code crop}: low and high may be negative, cutting elements off. */
    private static Case randomPad(Random rnd, int rank, boolean crop) {
        long[] in = randomShape(rnd, rank, 1, 4), low = new long[rank], out = new long[rank];
        var interior = new ArrayList<Long>();
        for (int a = 0; a < rank; a++) {
            long i = rnd.nextInt(3), full = in[a] + (in[a] - 1) * i;
            long lo = rnd.nextInt(3) - (crop ? 1 : 0), hi = rnd.nextInt(3) - (crop ? 1 : 0);
            if (lo + full + hi < 1) hi = 1 - lo - full;
            low[a] = lo;
            out[a] = lo + full + hi;
            interior.add(i);
        }
        return new Case("pad x" + shape(in) + " low " + shape(low) + " interior " + interior + " to " + shape(out),
                List.of(Arg.of("x", ANY, in)), one((b, a) -> b.pad(a.get(0), dims(low), interior, dims(out))));
    }

    private static Case concat(Random rnd, int rank, int axis, int parts) {
        long[] common = randomShape(rnd, rank, 1, 3);
        var args = new ArrayList<Arg>();
        var label = new StringBuilder("concat axis " + axis);
        for (int p = 0; p < parts; p++) {
            long[] s = common.clone();
            s[axis] = 1 + rnd.nextInt(3);
            args.add(Arg.of("x" + p, ANY, s));
            label.append(" x").append(p).append(shape(s));
        }
        return new Case(label.toString(), args, one((b, a) -> b.concat(a, axis)));
    }

    // ---- reductions, matmul, softmax ----

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void reduce(Case c) { check(c); }

    static List<Case> reduce() {
        var rnd = new Random(303);
        var out = new ArrayList<Case>();
        for (var fn : ReduceFn.values()) {
            Draw draw = switch (fn) {
                case SUM -> ANY;
                case PROD -> Draw.awayFromZero(0.7, 1.3); // no zeros: the rule divides by x
                case MAX, MIN -> Draw.distinct(); // no ties
            };
            for (int rank = 1; rank <= 3; rank++) {
                for (var axes : axisSets(rank)) {
                    long[] s = randomShape(rnd, rank, 2, 4);
                    out.add(new Case("reduce_" + fn.mnemonic() + " x" + shape(s) + " axes " + axes, List.of(Arg.of("x", draw, s)),
                            one((b, a) -> b.reduce(fn, a.get(0), axes))));
                }
            }
        }
        // groups with no zero, one zero and several zeros: the product of the others, as PyTorch (prod / x is NaN at 0)
        for (long[] s : List.of(new long[] {4, 3}, new long[] {2, 5})) {
            out.add(new Case("reduce_prod with zeros x" + shape(s) + " axes [1]", List.of(Arg.of("x", Draw.oneOf(0, 0.5, -1.5, 2), s)),
                    one((b, a) -> b.reduce(ReduceFn.PROD, a.get(0), List.of(1)))));
        }
        return out;
    }

    /** Every non-empty set of axes of a rank up to 3: each single axis, each pair, all. */
    private static List<List<Integer>> axisSets(int rank) {
        var out = new ArrayList<List<Integer>>();
        for (int mask = 1; mask < 1 << rank; mask++) {
            int m = mask;
            out.add(IntStream.range(0, rank).filter(a -> (m >> a & 1) != 0).boxed().toList());
        }
        out.sort((p, q) -> p.size() != q.size() ? p.size() - q.size() : p.toString().compareTo(q.toString()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void matmul(Case c) { check(c); }

    static List<Case> matmul() {
        long[][][] pairs = {
            {{3, 4}, {4, 5}}, {{1, 4}, {4, 1}}, {{4, 1}, {1, 3}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 5}},
            {{2, 1, 3, 4}, {5, 4, 2}},
        };
        var out = new ArrayList<Case>();
        for (long[][] p : pairs) {
            out.add(new Case("matmul " + shape(p[0]) + " @ " + shape(p[1]), List.of(Arg.of("a", ANY, p[0]), Arg.of("b", ANY, p[1])),
                    one((b, a) -> batchedMatmul(b, a.get(0), a.get(1)))));
        }
        // Vector forms, as lowering writes them: a reshape to a matrix and back.
        out.add(new Case("matmul vector [4] @ [4,5]", List.of(Arg.of("a", ANY, 4), Arg.of("b", ANY, 4, 5)),
                one((b, a) -> b.reshape(b.matmul(b.reshape(a.get(0), dims(1, 4)), a.get(1)), dims(5)))));
        out.add(new Case("matmul [3,4] @ vector [4]", List.of(Arg.of("a", ANY, 3, 4), Arg.of("b", ANY, 4)),
                one((b, a) -> b.reshape(b.matmul(a.get(0), b.reshape(a.get(1), dims(4, 1))), dims(3)))));
        out.add(new Case("matmul vector [4] @ vector [4]", List.of(Arg.of("a", ANY, 4), Arg.of("b", ANY, 4)),
                one((b, a) -> b.reshape(b.matmul(b.reshape(a.get(0), dims(1, 4)), b.reshape(a.get(1), dims(4, 1))), dims()))));
        return out;
    }

    /** NumPy's matmul of matrices with broadcast batch axes: MatMul itself needs equal ones. */
    private static int batchedMatmul(GraphBuilder b, int x, int y) {
        var xs = b.type(x).shape();
        var ys = b.type(y).shape();
        var batch = new ArrayList<>(GraphBuilder.broadcastShape(xs.subList(0, xs.size() - 2), ys.subList(0, ys.size() - 2)));
        var xt = new ArrayList<>(batch);
        xt.addAll(xs.subList(xs.size() - 2, xs.size()));
        var yt = new ArrayList<>(batch);
        yt.addAll(ys.subList(ys.size() - 2, ys.size()));
        return b.matmul(b.broadcastTo(x, xt), b.broadcastTo(y, yt));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void softmax(Case c) { check(c); }

    static List<Case> softmax() {
        var rnd = new Random(404);
        var out = new ArrayList<Case>();
        interface OverAxes { int apply(GraphBuilder b, int x, List<Integer> axes); }
        record Fn(String name, OverAxes op) {}
        var fns = List.of(new Fn("softmax", GraphBuilder::softmax), new Fn("log_softmax", GraphBuilder::logSoftmax),
                new Fn("logsumexp", GraphBuilder::logSumExp));
        for (var fn : fns) {
            for (int rank = 1; rank <= 3; rank++) {
                for (var axes : axisSets(rank)) {
                    long[] s = randomShape(rnd, rank, 2, 4);
                    out.add(new Case(fn.name() + " x" + shape(s) + " axes " + axes, List.of(Arg.of("x", Draw.uniform(-3, 3), s)),
                            one((b, a) -> fn.op().apply(b, a.get(0), axes))));
                }
            }
        }
        return out;
    }

    // ---- convolution and pooling ----

    record ConvConfig(long[] x, long[] k, Window w) {
        long[] y() {
            return concrete(TypeRules.conv(f64(x), f64(k), w));
        }

        @Override
        public String toString() {
            return "x" + shape(x) + " k" + shape(k) + " stride " + w.strideH() + "," + w.strideW() + " dilation " + w.dilationH() + ","
                    + w.dilationW() + (w.same() ? " same" : " valid");
        }
    }

    private static final List<ConvConfig> CONVS = convConfigs();

    private static List<ConvConfig> convConfigs() {
        var out = new ArrayList<>(List.of(
                new ConvConfig(new long[] {1, 5, 5, 1}, new long[] {3, 3, 1, 1}, new Window(1, 1, 1, 1, false)),
                new ConvConfig(new long[] {2, 5, 6, 2}, new long[] {3, 2, 2, 3}, new Window(1, 1, 1, 1, true)),
                new ConvConfig(new long[] {1, 6, 5, 3}, new long[] {2, 3, 3, 2}, new Window(2, 2, 1, 1, true)),
                new ConvConfig(new long[] {2, 7, 6, 2}, new long[] {3, 2, 2, 2}, new Window(2, 1, 1, 1, false)),
                new ConvConfig(new long[] {1, 7, 7, 2}, new long[] {2, 2, 2, 2}, new Window(1, 1, 2, 2, false)),
                new ConvConfig(new long[] {1, 6, 7, 1}, new long[] {3, 2, 1, 2}, new Window(1, 1, 2, 1, true)),
                new ConvConfig(new long[] {2, 6, 6, 2}, new long[] {2, 3, 2, 1}, new Window(2, 2, 2, 2, true)),
                new ConvConfig(new long[] {1, 4, 4, 3}, new long[] {1, 1, 3, 2}, new Window(2, 2, 1, 1, false)),
                new ConvConfig(new long[] {1, 5, 4, 2}, new long[] {4, 3, 2, 2}, new Window(1, 1, 1, 1, true)),
                new ConvConfig(new long[] {1, 6, 6, 1}, new long[] {3, 3, 1, 2}, new Window(3, 2, 1, 1, false))));
        var rnd = new Random(505);
        while (out.size() < 14) {
            long[] x = {1 + rnd.nextInt(2), 3 + rnd.nextInt(5), 3 + rnd.nextInt(5), 1 + rnd.nextInt(3)};
            long[] k = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3), x[3], 1 + rnd.nextInt(3)};
            var w = new Window(1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), rnd.nextBoolean());
            var c = new ConvConfig(x, k, w);
            if (Arrays.stream(c.y()).allMatch(d -> d > 0)) out.add(c);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void convolution(Case c) { check(c); }

    static List<Case> convolution() {
        var out = new ArrayList<Case>();
        for (var c : CONVS) {
            out.add(new Case("conv2d " + c, List.of(Arg.of("x", ANY, c.x()), Arg.of("k", ANY, c.k())),
                    one((b, a) -> b.emit(new Conv2D(c.w()), a, TypeRules.conv(b.type(a.get(0)), b.type(a.get(1)), c.w())))));
            out.add(new Case("conv2d_input_grad " + c, List.of(Arg.of("dy", ANY, c.y()), Arg.of("k", ANY, c.k())),
                    one((b, a) -> b.emit(new Conv2DInputGrad(c.w()), a, f64(c.x())))));
            out.add(new Case("conv2d_kernel_grad " + c, List.of(Arg.of("x", ANY, c.x()), Arg.of("dy", ANY, c.y())),
                    one((b, a) -> b.emit(new Conv2DKernelGrad(c.w()), a, f64(c.k())))));
        }
        return out;
    }

    private static final List<long[]> POOL_INPUTS = List.of(
            new long[] {1, 4, 4, 1}, new long[] {2, 5, 5, 2}, new long[] {1, 5, 6, 2}, new long[] {1, 6, 5, 1},
            new long[] {2, 4, 5, 1}, new long[] {1, 5, 5, 1}, new long[] {1, 7, 6, 2});

    private static final List<Pool> POOLS = List.of(
            new Pool(2, 2, 2, 2, false), new Pool(2, 2, 1, 1, false), new Pool(3, 3, 2, 2, true), new Pool(2, 3, 1, 2, true),
            new Pool(3, 2, 2, 1, false), new Pool(3, 3, 1, 1, true), new Pool(2, 2, 3, 3, true));

    private static String describe(Pool p) {
        return "size " + p.sizeH() + "," + p.sizeW() + " stride " + p.strideH() + "," + p.strideW() + (p.same() ? " same" : " valid");
    }

    private static long[] pooled(long[] x, Pool p) {
        return concrete(TypeRules.pool(f64(x), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void pooling(Case c) { check(c); }

    static List<Case> pooling() {
        var out = new ArrayList<Case>();
        for (int i = 0; i < POOLS.size(); i++) {
            Pool p = POOLS.get(i);
            long[] x = POOL_INPUTS.get(i), y = pooled(x, p);
            String at = " x" + shape(x) + " " + describe(p);
            out.add(new Case("maxpool" + at, List.of(Arg.of("x", Draw.distinct(), x)),
                    one((b, a) -> b.emit(new MaxPool(p), a, f64(y)))));
            out.add(new Case("avgpool" + at, List.of(Arg.of("x", ANY, x)), one((b, a) -> b.emit(new AvgPool(p), a, f64(y)))));
            // The routing depends on x only through which element wins: zero derivative in x.
            out.add(new Case("maxpool_grad" + at, List.of(Arg.zero("x", Draw.distinct(), x), Arg.of("dy", ANY, y)),
                    one((b, a) -> b.emit(new MaxPoolGrad(p), a, f64(x)))));
            out.add(new Case("maxpool_select" + at, List.of(Arg.zero("x", Draw.distinct(), x), Arg.of("g", ANY, x)),
                    one((b, a) -> b.emit(new MaxPoolSelect(p), a, f64(y)))));
            out.add(new Case("avgpool_grad" + at, List.of(Arg.of("dy", ANY, y)), one((b, a) -> b.emit(new AvgPoolGrad(p), a, f64(x)))));
        }
        return out;
    }

    // ---- second order ----

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void secondOrder(Case c) { check(c); }

    static List<Case> secondOrder() {
        var out = new ArrayList<Case>();
        for (var fn : List.of(UnaryFn.TANH, UnaryFn.SIGMOID, UnaryFn.GELU, UnaryFn.ERF, UnaryFn.SIN, UnaryFn.EXP, UnaryFn.SOFTPLUS)) {
            out.add(second(fn.mnemonic() + " x[2,3]", one((b, a) -> b.unary(fn, a.get(0))), Arg.of("x", ANY, 2, 3)));
        }
        for (var fn : List.of(UnaryFn.LOG, UnaryFn.RSQRT, UnaryFn.SQRT)) {
            out.add(second(fn.mnemonic() + " x[2,3]", one((b, a) -> b.unary(fn, a.get(0))), Arg.of("x", Draw.uniform(0.3, 3), 2, 3)));
        }
        out.add(second("mul [3,1] [1,4]", one((b, a) -> b.mul(a.get(0), a.get(1))), Arg.of("l", ANY, 3, 1), Arg.of("r", ANY, 1, 4)));
        out.add(second("div [2,3] [3]", one((b, a) -> b.div(a.get(0), a.get(1))),
                Arg.of("l", ANY, 2, 3), Arg.of("r", Draw.awayFromZero(0.5, 2), 3)));
        out.add(second("pow [2,3] [2,3]", one((b, a) -> b.binary(POW, a.get(0), a.get(1))),
                Arg.of("l", Draw.uniform(0.5, 2), 2, 3), Arg.of("r", ANY, 2, 3)));
        out.add(second("max times left [2,3] [3]", one((b, a) -> b.mul(b.binaryBroadcast(MAX, a.get(0), a.get(1)), a.get(0))),
                Arg.of("l", Draw.lattice(0), 2, 3), Arg.of("r", Draw.lattice(0.1), 3)));
        out.add(second("select of square and product [2,3]",
                one((b, a) -> b.select(b.binary(GT, a.get(0), a.get(1)), b.unary(UnaryFn.SQUARE, a.get(0)), b.mul(a.get(0), a.get(1)))),
                Arg.of("a", Draw.lattice(0), 2, 3), Arg.of("b", Draw.lattice(0.1), 2, 3)));
        out.add(second("reduce_prod x[2,3] axes [1]", one((b, a) -> b.reduce(ReduceFn.PROD, a.get(0), List.of(1))),
                Arg.of("x", Draw.awayFromZero(0.7, 1.3), 2, 3)));
        out.add(second("reduce_prod with zeros x[3,4] axes [1]", one((b, a) -> b.reduce(ReduceFn.PROD, a.get(0), List.of(1))),
                Arg.of("x", Draw.oneOf(0, 0.5, -1.5, 2), 3, 4)));
        out.add(second("square of reduce_max x[3,4] axes [0]", one((b, a) -> b.unary(UnaryFn.SQUARE, b.reduce(ReduceFn.MAX, a.get(0), List.of(0)))),
                Arg.of("x", Draw.distinct(), 3, 4)));
        out.add(second("softmax x[2,4] axes [1]", one((b, a) -> b.softmax(a.get(0), List.of(1))), Arg.of("x", ANY, 2, 4)));
        out.add(second("log_softmax x[3,4] axes [0]", one((b, a) -> b.logSoftmax(a.get(0), List.of(0))), Arg.of("x", ANY, 3, 4)));
        out.add(second("logsumexp x[2,3,2] axes [0,2]", one((b, a) -> b.logSumExp(a.get(0), List.of(0, 2))), Arg.of("x", ANY, 2, 3, 2)));
        out.add(second("matmul [2,3,4] @ [4,5]", one((b, a) -> batchedMatmul(b, a.get(0), a.get(1))),
                Arg.of("a", ANY, 2, 3, 4), Arg.of("b", ANY, 4, 5)));
        for (var c : List.of(CONVS.get(2), CONVS.get(6))) {
            out.add(second("conv2d " + c, one((b, a) -> b.emit(new Conv2D(c.w()), a, f64(c.y()))),
                    Arg.of("x", ANY, c.x()), Arg.of("k", ANY, c.k())));
            out.add(second("conv2d_input_grad " + c, one((b, a) -> b.emit(new Conv2DInputGrad(c.w()), a, f64(c.x()))),
                    Arg.of("dy", ANY, c.y()), Arg.of("k", ANY, c.k())));
            out.add(second("conv2d_kernel_grad " + c, one((b, a) -> b.emit(new Conv2DKernelGrad(c.w()), a, f64(c.k()))),
                    Arg.of("x", ANY, c.x()), Arg.of("dy", ANY, c.y())));
        }
        // Squared, so that the first-order gradient depends on x and the rules of the gradient ops are exercised.
        for (int i : new int[] {2, 3}) {
            Pool p = POOLS.get(i);
            long[] x = POOL_INPUTS.get(i), y = pooled(x, p);
            out.add(second("square of maxpool x" + shape(x) + " " + describe(p),
                    one((b, a) -> b.unary(UnaryFn.SQUARE, b.emit(new MaxPool(p), a, f64(y)))), Arg.of("x", Draw.distinct(), x)));
            out.add(second("square of avgpool x" + shape(x) + " " + describe(p),
                    one((b, a) -> b.unary(UnaryFn.SQUARE, b.emit(new AvgPool(p), a, f64(y)))), Arg.of("x", ANY, x)));
        }
        out.add(second("square of slice x[5,4] start [4,0] step [-2,3]",
                one((b, a) -> b.unary(UnaryFn.SQUARE, b.slice(a.get(0), dims(4, 0), List.of(-2L, 3L), dims(3, 2)))), Arg.of("x", ANY, 5, 4)));
        out.add(second("square of pad x[3,2] low [1,0] interior [1,2] to [6,5]",
                one((b, a) -> b.unary(UnaryFn.SQUARE, b.pad(a.get(0), dims(1, 0), List.of(1L, 2L), dims(6, 5)))), Arg.of("x", ANY, 3, 2)));
        out.add(second("square of transpose x[2,3,4] perm [2,0,1]",
                one((b, a) -> b.unary(UnaryFn.SQUARE, b.transpose(a.get(0), List.of(2, 0, 1)))), Arg.of("x", ANY, 2, 3, 4)));
        out.add(second("square of broadcast x[3,1] to [2,3,4]",
                one((b, a) -> b.unary(UnaryFn.SQUARE, b.broadcastTo(a.get(0), dims(2, 3, 4)))), Arg.of("x", ANY, 3, 1)));
        out.add(second("product of concat axis 1 x0[2,1] x1[2,3]", one((b, a) -> {
            int c = b.concat(a, 1);
            return b.mul(c, b.transpose(b.reshape(c, dims(4, 2)), List.of(1, 0)));
        }), Arg.of("x0", ANY, 2, 1), Arg.of("x1", ANY, 2, 3)));
        return out;
    }

    private static Case second(String label, Body inner, Arg... args) {
        return new Case("grad of grad: " + label, List.of(args), gradientsOf(inner));
    }

    // ---- helpers ----

    private static long[] randomShape(Random rnd, int rank) { return randomShape(rnd, rank, 1, 4); }

    /** Each dimension in [lo, hi]. */
    private static long[] randomShape(Random rnd, int rank, int lo, int hi) {
        long[] s = new long[rank];
        for (int a = 0; a < rank; a++) s[a] = lo + rnd.nextInt(hi - lo + 1);
        return s;
    }
}
