package dev.modelc.autodiff;

import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.Verifier;
import dev.modelc.interp.Interpreter;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The finite-difference harness behind {@link VjpFiniteDifferenceTest}: builds a small f64 graph
 * around the op under test, appends the symbolic gradient with {@link Autodiff#grad}, runs both
 * in the interpreter and compares every gradient element with a central difference.
 *
 * <p>The objective is {@code sum_j sum(result_j * W_j)} with fixed random weights {@code W_j}, so
 * every output element contributes to the gradient with its own weight (a plain sum would hide
 * rules that permute or mix up output elements).
 *
 * <p>Step and tolerance. The step is {@code h = 1e-6 * max(1, |x|)}, near the optimum
 * {@code cbrt(eps) ~ 6e-6} for central differences in f64. The truncation error is about
 * {@code h^2 |f'''| / 6 ~ 1e-13 |f'''|} and the rounding error about {@code eps * sum|terms| / h
 * ~ 1e-10 * sum|terms|}; with the small shapes and O(1) values here both stay below 1e-8. A
 * gradient element passes when {@code |analytic - numeric| <= 1e-6 + 1e-5 |numeric|}: two orders
 * of magnitude above that noise, and far below what any wrong rule gives (a missing factor, a
 * wrong sign, a misplaced element are all O(1) errors with O(1) weights). Inputs are drawn away
 * from the kinks and discontinuities of each op (see {@link Draw}), so that no step of h crosses
 * one. Ops whose derivative is zero almost everywhere are in addition required to give exactly 0.
 */
final class GradientCheck {
    private GradientCheck() {}

    static final double REL_STEP = 1e-6;
    static final double ABS_TOL = 1e-6;
    static final double REL_TOL = 1e-5;

    /** How an argument's values are drawn: a whole array at a time, so draws can avoid ties. */
    @FunctionalInterface
    interface Draw {
        double[] draw(Random rnd, int n);

        static Draw uniform(double lo, double hi) {
            return (r, n) -> r.doubles(n, lo, hi).toArray();
        }

        /** Magnitudes in [lo, hi) with random signs: away from the kink at zero. */
        static Draw awayFromZero(double lo, double hi) {
            return (r, n) -> r.doubles(n, lo, hi).map(v -> r.nextBoolean() ? v : -v).toArray();
        }

        /**
         * Pairwise distinct values at least 0.2 apart, in random order: no ties for max/min
         * reductions and max pooling, whichever elements end up compared.
         */
        static Draw distinct() {
            return (r, n) -> {
                var order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
                Collections.shuffle(order, r);
                return order.stream().mapToDouble(k -> (k - n / 2.0) * 0.25 + r.nextDouble() * 0.05).toArray();
            };
        }

        /** {@code 0.2 m + offset + [0, 0.05)}: two draws with offsets 0 and 0.1 are never closer than 0.05. */
        static Draw lattice(double offset) {
            return (r, n) -> r.ints(n, -8, 8).mapToDouble(m -> 0.2 * m + offset + 0.05 * r.nextDouble()).toArray();
        }

        /** Fractional parts in [0.15, 0.35): away from the jumps of floor, ceil (integers) and round (halves). */
        static Draw offGrid() {
            return (r, n) -> r.ints(n, -3, 3).mapToDouble(m -> m + 0.15 + 0.2 * r.nextDouble()).toArray();
        }

        /** Values drawn from a fixed set (for operands that are not perturbed, e.g. integer exponents). */
        static Draw oneOf(double... values) {
            return (r, n) -> r.ints(n, 0, values.length).mapToDouble(i -> values[i]).toArray();
        }
    }

    /**
     * An input of the graph: f64, of a concrete shape. {@code wrt}: it is differentiated;
     * {@code zero}: the result's derivative with respect to it is zero almost everywhere, and the
     * analytic gradient must be exactly 0 (the differences are still compared, and are 0 away
     * from jumps).
     */
    record Arg(String name, long[] shape, Draw draw, boolean wrt, boolean zero) {
        static Arg of(String name, Draw draw, long... shape) { return new Arg(name, shape, draw, true, false); }

        static Arg fixed(String name, Draw draw, long... shape) { return new Arg(name, shape, draw, false, false); }

        static Arg zero(String name, Draw draw, long... shape) { return new Arg(name, shape, draw, true, true); }
    }

    /** What the case computes from its arguments' node ids: the values the objective weighs. */
    @FunctionalInterface
    interface Body {
        List<Integer> build(Ctx c, List<Integer> args);
    }

    /** A single-result body. */
    @FunctionalInterface
    interface OneResult {
        int build(GraphBuilder b, List<Integer> args);
    }

    static Body one(OneResult f) { return (c, a) -> List.of(f.build(c.b, a)); }

    /** One check, named by its label (op, shapes, attributes). */
    record Case(String label, List<Arg> args, Body body) {
        /** Reproducible from the label alone. */
        long seed() { return 0x5EEDL * 31 + label.hashCode(); }

        @Override
        public String toString() { return label; }
    }

    /** The graph under construction and the random inputs fed to it. */
    static final class Ctx {
        final GraphBuilder b = new GraphBuilder();
        final Random rnd;
        final Map<String, Tensor> feeds = new HashMap<>();
        final List<Integer> wrt = new ArrayList<>();
        private int weights;

        Ctx(Random rnd) { this.rnd = rnd; }

        int input(String name, long[] shape, double[] values) {
            feeds.put(name, Tensor.of(values, shape));
            return b.input(Role.INPUT, name, f64(shape));
        }

        /** {@code sum_j sum(results_j * W_j)}, each W_j a new input of standard normal values. */
        int objective(List<Integer> results) {
            Integer total = null;
            for (int r : results) {
                var t = b.type(r);
                long[] shape = concrete(t);
                double[] w = new double[(int) Tensor.elementCountOf(shape)];
                for (int i = 0; i < w.length; i++) w[i] = rnd.nextGaussian();
                int weight = input("w" + weights++, shape, w);
                int term = b.reduce(ReduceFn.SUM, b.mul(r, weight), IntStream.range(0, t.rank()).boxed().toList());
                total = total == null ? term : b.add(total, term);
            }
            return total;
        }
    }

    /**
     * The body's objective differentiated once more: results are the gradients of {@code inner}'s
     * objective with respect to every differentiated argument, so the check compares second
     * derivatives (Hessian-vector products) with differences of first-order gradient graphs.
     */
    static Body gradientsOf(Body inner) {
        return (c, args) -> Autodiff.grad(c.b, c.objective(inner.build(c, args)), c.wrt, null);
    }

    static TensorType f64(long... shape) { return new TensorType(DType.F64, dims(shape)); }

    static List<DimExpr> dims(long... shape) { return Arrays.stream(shape).mapToObj(DimExpr::constant).toList(); }

    /** The dimensions of a type whose shape is all constants. */
    static long[] concrete(TensorType t) { return t.shape().stream().mapToLong(d -> d.constantValue().orElseThrow()).toArray(); }

    static String shape(long... s) {
        return Arrays.toString(s).replace(" ", "");
    }

    /** Builds the case, differentiates it, and compares every gradient element with a central difference. */
    static void check(Case c) {
        var ctx = new Ctx(new Random(c.seed()));
        var ids = new ArrayList<Integer>();
        var values = new ArrayList<double[]>();
        for (var a : c.args()) {
            double[] v = a.draw().draw(ctx.rnd, (int) Tensor.elementCountOf(a.shape()));
            values.add(v);
            int id = ctx.input(a.name(), a.shape(), v);
            ids.add(id);
            if (a.wrt()) ctx.wrt.add(id);
        }
        int s = ctx.objective(c.body().build(ctx, ids));
        Graph forward = ctx.b.build("objective", List.of(new Graph.Result("s", s)));
        List<Integer> grads = Autodiff.grad(ctx.b, s, ctx.wrt, null);
        var results = new ArrayList<Graph.Result>();
        for (int i = 0, k = 0; i < c.args().size(); i++) {
            if (c.args().get(i).wrt()) results.add(new Graph.Result("d" + c.args().get(i).name(), grads.get(k++)));
        }
        Graph full = Verifier.verify(ctx.b.build("gradient", results));
        Map<String, Tensor> analytic = Interpreter.run(full, ctx.feeds);
        // the same graph through fusion and Loop IR must compute the same gradients
        dev.modelc.loops.LoopAgreement.check(full, ctx.feeds, 1e-9);

        var failures = new ArrayList<String>();
        int bad = 0;
        for (int i = 0; i < c.args().size(); i++) {
            var a = c.args().get(i);
            if (!a.wrt()) continue;
            Tensor g = analytic.get("d" + a.name());
            if (!Arrays.equals(g.shape(), a.shape())) {
                fail(c.label() + " (seed " + c.seed() + "): gradient of " + a.name() + " has shape " + shape(g.shape()));
            }
            double[] ga = g.toDoubleArray(), x = values.get(i);
            for (int e = 0; e < x.length; e++) {
                double numeric = difference(forward, ctx.feeds, a, x, e);
                double err = Math.abs(ga[e] - numeric);
                boolean ok = a.zero() ? ga[e] == 0 && Math.abs(numeric) <= ABS_TOL : err <= ABS_TOL + REL_TOL * Math.abs(numeric);
                if (!ok && bad++ < 8) {
                    failures.add(String.format("  d%s%s = %.12g, central difference %.12g (x = %.6g, error %.3g)%s",
                            a.name(), shape(unravel(e, a.shape())), ga[e], numeric, x[e], err, a.zero() ? ", must be exactly 0" : ""));
                }
            }
        }
        if (bad > 0) {
            fail(c.label() + " (seed " + c.seed() + "): " + bad + " gradient element(s) disagree with central differences"
                    + ":\n" + String.join("\n", failures));
        }
    }

    /** {@code (f(x + h e) - f(x - h e)) / 2h} for element {@code e} of argument {@code a}. */
    private static double difference(Graph forward, Map<String, Tensor> feeds, Arg a, double[] x, int e) {
        double h = REL_STEP * Math.max(1, Math.abs(x[e]));
        double[] p = x.clone();
        p[e] = x[e] + h;
        double up = objective(forward, feeds, a, p);
        p[e] = x[e] - h;
        double down = objective(forward, feeds, a, p);
        return (up - down) / ((x[e] + h) - (x[e] - h));
    }

    private static double objective(Graph forward, Map<String, Tensor> feeds, Arg a, double[] values) {
        var in = new HashMap<>(feeds);
        in.put(a.name(), Tensor.of(values, a.shape()));
        return Interpreter.run(forward, in).get("s").toDoubleArray()[0];
    }

    private static long[] unravel(int flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= (int) shape[d];
        }
        return idx;
    }
}
