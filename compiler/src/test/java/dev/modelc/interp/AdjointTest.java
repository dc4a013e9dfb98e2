package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.TypeRules;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dot-product tests: a linear map A and its claimed adjoint A* must satisfy {@code <A x, y> ==
 * <x, A* y>} for all x and y. Random f64 data over many window and slice configurations.
 */
class AdjointTest {
    private static final Random RND = new Random(2024);

    private static Tensor random(long... shape) {
        long n = Tensor.elementCountOf(shape);
        return Tensor.of(RND.doubles(n, -1, 1).toArray(), shape);
    }

    private static double dot(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        double[] p = a.toDoubleArray(), q = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < p.length; i++) s += p[i] * q[i];
        return s;
    }

    private static double scale(Tensor a, Tensor b) {
        double[] p = a.toDoubleArray(), q = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < p.length; i++) s += Math.abs(p[i] * q[i]);
        return Math.max(s, 1e-300);
    }

    private static void assertAdjoint(double lhs, double rhs, double scale, String what) {
        assertEquals(lhs, rhs, 1e-10 * scale, what + ": " + lhs + " vs " + rhs);
    }

    private static TensorType f64(long... dims) { return new TensorType(DType.F64, shape(dims)); }

    private static long windowOut(long in, long k, long s, long d, boolean same) {
        return same ? Math.ceilDiv(in, s) : Math.floorDiv(in - (k - 1) * d - 1, s) + 1;
    }

    @Test
    void convolutionGradientsAreTheAdjointsOfConvolution() {
        int checked = 0;
        for (int t = 0; t < 300; t++) {
            int b = 1 + RND.nextInt(2), h = 1 + RND.nextInt(8), w = 1 + RND.nextInt(8), c = 1 + RND.nextInt(3), o = 1 + RND.nextInt(3);
            int kh = 1 + RND.nextInt(4), kw = 1 + RND.nextInt(4);
            var win = new Window(1 + RND.nextInt(3), 1 + RND.nextInt(3), 1 + RND.nextInt(3), 1 + RND.nextInt(3), RND.nextBoolean());
            long oh = windowOut(h, kh, win.strideH(), win.dilationH(), win.same()), ow = windowOut(w, kw, win.strideW(), win.dilationW(), win.same());
            if (oh <= 0 || ow <= 0) continue;
            var g = new GraphBuilder();
            int x = g.input(Role.INPUT, "x", f64(b, h, w, c)), k = g.input(Role.PARAM, "k", f64(kh, kw, c, o));
            int dy = g.input(Role.INPUT, "dy", f64(b, oh, ow, o));
            int y = g.emit(new Conv2D(win), List.of(x, k), TypeRules.conv(g.type(x), g.type(k), win));
            int dx = g.emit(new Conv2DInputGrad(win), List.of(dy, k), g.type(x));
            int dk = g.emit(new Conv2DKernelGrad(win), List.of(x, dy), g.type(k));
            Tensor xs = random(b, h, w, c), ks = random(kh, kw, c, o), dys = random(b, oh, ow, o);
            var out = Interpreter.run(g.build("conv", List.of(new Graph.Result("y", y), new Graph.Result("dx", dx), new Graph.Result("dk", dk))),
                    Map.of("x", xs, "k", ks, "dy", dys));
            String what = win + " x[" + b + "," + h + "," + w + "," + c + "] k[" + kh + "," + kw + "," + c + "," + o + "]";
            double lhs = dot(out.get("y"), dys);
            assertAdjoint(lhs, dot(xs, out.get("dx")), scale(out.get("y"), dys) + scale(xs, out.get("dx")), what + " input grad");
            assertAdjoint(lhs, dot(ks, out.get("dk")), scale(out.get("y"), dys) + scale(ks, out.get("dk")), what + " kernel grad");
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " configurations fit");
    }

    @Test
    void poolingGradientsAreAdjoints() {
        int checked = 0;
        for (int t = 0; t < 300; t++) {
            int b = 1 + RND.nextInt(2), h = 1 + RND.nextInt(8), w = 1 + RND.nextInt(8), c = 1 + RND.nextInt(3);
            var p = new Pool(1 + RND.nextInt(3), 1 + RND.nextInt(3), 1 + RND.nextInt(3), 1 + RND.nextInt(3), RND.nextBoolean());
            long oh = windowOut(h, p.sizeH(), p.strideH(), 1, p.same()), ow = windowOut(w, p.sizeW(), p.strideW(), 1, p.same());
            if (oh <= 0 || ow <= 0) continue;
            var g = new GraphBuilder();
            int x = g.input(Role.INPUT, "x", f64(b, h, w, c)), gr = g.input(Role.INPUT, "g", f64(b, h, w, c));
            int dy = g.input(Role.INPUT, "dy", f64(b, oh, ow, c));
            TensorType pooled = TypeRules.pool(g.type(x), p);
            int avg = g.emit(new AvgPool(p), List.of(x), pooled);
            int avgGrad = g.emit(new AvgPoolGrad(p), List.of(dy), g.type(x));
            int sel = g.emit(new MaxPoolSelect(p), List.of(x, gr), pooled);
            int maxGrad = g.emit(new MaxPoolGrad(p), List.of(x, dy), g.type(x));
            Tensor xs = random(b, h, w, c), gs = random(b, h, w, c), dys = random(b, oh, ow, c);
            var out = Interpreter.run(g.build("pool", List.of(new Graph.Result("avg", avg), new Graph.Result("avgGrad", avgGrad),
                    new Graph.Result("sel", sel), new Graph.Result("maxGrad", maxGrad))), Map.of("x", xs, "g", gs, "dy", dys));
            String what = p + " x[" + b + "," + h + "," + w + "," + c + "]";
            assertAdjoint(dot(out.get("avg"), dys), dot(xs, out.get("avgGrad")), scale(out.get("avg"), dys) + scale(xs, out.get("avgGrad")), what + " avgpool");
            assertAdjoint(dot(out.get("sel"), dys), dot(gs, out.get("maxGrad")), scale(out.get("sel"), dys) + scale(gs, out.get("maxGrad")), what + " maxpool");
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " configurations fit");
    }

    @Test
    void padIsTheAdjointOfSlice() {
        for (int t = 0; t < 200; t++) {
            int rank = 1 + RND.nextInt(3);
            long[] in = new long[rank], out = new long[rank];
            var start = new ArrayList<DimExpr>();
            var step = new ArrayList<Long>();
            var interior = new ArrayList<Long>();
            for (int a = 0; a < rank; a++) {
                in[a] = 1 + RND.nextInt(7);
                long s = RND.nextInt((int) in[a]), st = 1 + RND.nextInt(3);
                out[a] = RND.nextInt((int) ((in[a] - 1 - s) / st + 2)); // 0 to as many as fit
                start.add(c(s));
                step.add(st);
                interior.add(st - 1);
            }
            var g = new GraphBuilder();
            int x = g.input(Role.INPUT, "x", f64(in)), y = g.input(Role.INPUT, "y", f64(out));
            int sliced = g.slice(x, start, step, shape(out));
            int padded = g.pad(y, start, interior, shape(in)); // high padding implied, often negative
            Tensor xs = random(in), ys = random(out);
            var r = Interpreter.run(g.build("slice", List.of(new Graph.Result("s", sliced), new Graph.Result("p", padded))), Map.of("x", xs, "y", ys));
            assertAdjoint(dot(r.get("s"), ys), dot(xs, r.get("p")), scale(r.get("s"), ys) + scale(xs, r.get("p")),
                    "slice " + start + " step " + step + " of " + java.util.Arrays.toString(in));
        }
    }
}
