package dev.modelc.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.FusedGraph.KernelKind;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LoopAgreement;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which transposes a matmul reads through, which pointwise readers become its epilogue, and that the programs still agree with the interpreter. */
class MatmulFusionTest {
    private static TensorType f32(long... dims) {
        return new TensorType(DType.F32, java.util.Arrays.stream(dims).mapToObj(DimExpr::constant).toList());
    }

    private static Map<String, Tensor> feeds(Graph g) {
        var rnd = new Random(7);
        var out = new HashMap<String, Tensor>();
        for (var n : g.nodes()) {
            if (!(n.op() instanceof Op.Input in)) continue;
            long[] shape = n.type().shape().stream().mapToLong(d -> d.constantValue().orElseThrow()).toArray();
            float[] v = new float[(int) Tensor.elementCountOf(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            out.put(in.name(), Tensor.of(v, shape));
        }
        return out;
    }

    private static FusedGraph.Kernel kernelStoring(FusedGraph f, int node) {
        return f.kernels().stream().filter(k -> k.root() == node).findFirst().orElseThrow();
    }

    private static void agrees(Graph g) { LoopAgreement.check(g, feeds(g), 1e-4, 1e-4); }

    @Test
    void transposesOfStoredValuesAreReadThrough() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(9, 5));
        int w = b.input(Role.PARAM, "w", f32(7, 9));
        int xt = b.transpose(x, List.of(1, 0)), wt = b.transpose(w, List.of(1, 0));
        int y = b.matmul(xt, wt);
        Graph g = b.build("mm", List.of(new Graph.Result("y", y)));
        var f = Fusion.fuse(g);
        assertEquals(1, f.kernels().size(), FusedPrinter.print(f));
        assertFalse(f.materialized().contains(xt));
        assertFalse(f.materialized().contains(wt));
        assertEquals(List.of(xt, wt), kernelStoring(f, y).inlined());
        agrees(g);
    }

    @Test
    void otherTransposesAreStillStored() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(9, 5));
        int w = b.input(Role.PARAM, "w", f32(2, 7, 9));
        // the transpose of a value computed inline, and one that is not of the last two axes
        int xt = b.transpose(b.unary(UnaryFn.TANH, x), List.of(1, 0));
        int w0 = b.reshape(b.transpose(w, List.of(1, 0, 2)), List.of(DimExpr.constant(7), DimExpr.constant(18)));
        int y = b.matmul(b.reshape(xt, List.of(DimExpr.constant(5), DimExpr.constant(9))), b.transpose(b.slice(w0,
                List.of(DimExpr.constant(0), DimExpr.constant(0)), List.of(1L, 2L), List.of(DimExpr.constant(7), DimExpr.constant(9))), List.of(1, 0)));
        Graph g = b.build("mm", List.of(new Graph.Result("y", y)));
        var f = Fusion.fuse(g);
        assertTrue(f.materialized().contains(xt), FusedPrinter.print(f));
        agrees(g);
    }

    @Test
    void aBiasAndActivationBecomeTheEpilogue() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(6, 20));
        int w = b.input(Role.PARAM, "w", f32(20, 19));
        int bias = b.input(Role.PARAM, "b", f32(19));
        int y = b.matmul(x, w);
        int pre = b.add(y, b.broadcastTo(bias, b.type(y).shape()));
        int out = b.unary(UnaryFn.RELU, pre);
        Graph g = b.build("mm", List.of(new Graph.Result("y", out)));
        var f = Fusion.fuse(g);
        assertEquals(1, f.kernels().size(), FusedPrinter.print(f));
        var k = f.kernels().get(0);
        assertEquals(KernelKind.MATMUL, k.kind());
        assertEquals(y, k.op());
        assertEquals(out, k.root());
        assertTrue(k.hasEpilogue());
        assertFalse(f.materialized().contains(y));
        String text = FusedPrinter.print(f);
        assertTrue(text.contains("    tile   %" + y + " = matmul"), text);
        assertTrue(text.contains("    epilog %" + pre + " = add"), text);
        assertTrue(text.contains("    store  %" + out + " = relu"), text);
        assertTrue(LoopPrinter.print(LoopLowering.lower(f)).contains("max("), LoopPrinter.print(LoopLowering.lower(f)));
        agrees(g);
    }

    @Test
    void aPreActivationWithASecondUserIsTheWholeEpilogue() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(6, 20));
        int w = b.input(Role.PARAM, "w", f32(20, 19));
        int bias = b.input(Role.PARAM, "b", f32(19));
        int y = b.matmul(x, w);
        int pre = b.add(y, b.broadcastTo(bias, b.type(y).shape()));
        int act = b.unary(UnaryFn.RELU, pre);
        int mask = b.convert(b.binary(Op.BinaryFn.GT, pre, b.zerosLike(pre)), DType.F32);
        Graph g = b.build("mm", List.of(new Graph.Result("a", act), new Graph.Result("m", b.mul(mask, act))));
        var f = Fusion.fuse(g);
        var k = kernelStoring(f, pre);
        assertTrue(k.hasEpilogue(), FusedPrinter.print(f));
        assertEquals(y, k.op());
        agrees(g);
    }

    @Test
    void noEpilogueWhenTheProductHasOtherReaders() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(6, 20));
        int w = b.input(Role.PARAM, "w", f32(20, 6));
        int y = b.matmul(x, w);
        // a result itself; read by two kernels; read through a transpose; read by a reduction
        var graphs = List.of(
                b.build("result", List.of(new Graph.Result("y", y), new Graph.Result("z", b.unary(UnaryFn.EXP, y)))),
                b.build("two", List.of(new Graph.Result("p", b.unary(UnaryFn.EXP, y)), new Graph.Result("q", b.unary(UnaryFn.TANH, y)))),
                b.build("remap", List.of(new Graph.Result("p", b.add(y, b.transpose(y, List.of(1, 0)))))),
                b.build("reduce", List.of(new Graph.Result("s", b.reduce(Op.ReduceFn.SUM, b.unary(UnaryFn.EXP, y), List.of(1))))));
        for (var g : graphs) {
            var f = Fusion.fuse(g);
            assertTrue(f.kernels().stream().noneMatch(FusedGraph.Kernel::hasEpilogue), FusedPrinter.print(f));
            assertTrue(f.materialized().contains(y));
            agrees(g);
        }
    }

    @Test
    void anInPlaceUpdateKeepsItsOwnKernel() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(8, 5));
        int g0 = b.input(Role.INPUT, "g", f32(8, 3));
        int w = b.input(Role.PARAM, "w", f32(5, 3));
        int grad = b.matmul(b.transpose(x, List.of(1, 0)), g0);
        int next = b.sub(w, b.scale(grad, 0.1));
        Graph g = b.build("step", List.of(new Graph.Result("w", next)));
        var f = Fusion.fuse(g);
        assertEquals(Map.of(next, w), f.inPlace(), FusedPrinter.print(f));
        assertTrue(f.kernels().stream().noneMatch(FusedGraph.Kernel::hasEpilogue));
        agrees(g);
    }

    @Test
    void aDifferentlyTypedReaderIsNotAnEpilogue() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(6, 20));
        int w = b.input(Role.PARAM, "w", f32(20, 6));
        int y = b.matmul(x, w);
        Graph g = b.build("cmp", List.of(new Graph.Result("p", b.binary(Op.BinaryFn.GT, y, b.zerosLike(y)))));
        var f = Fusion.fuse(g);
        assertTrue(f.kernels().stream().noneMatch(FusedGraph.Kernel::hasEpilogue), FusedPrinter.print(f));
        agrees(g);
    }

    @Test
    void aConvolutionTakesItsBiasAndActivationAsAnEpilogueInEveryElementType() {
        for (var dtype : List.of(DType.F32, DType.F64)) {
            for (int vectorBits : new int[] {0, 256}) {
                var b = new GraphBuilder();
                var x = new TensorType(dtype, List.of(DimExpr.constant(2), DimExpr.constant(6), DimExpr.constant(7), DimExpr.constant(3)));
                var k = new TensorType(dtype, List.of(DimExpr.constant(3), DimExpr.constant(3), DimExpr.constant(3), DimExpr.constant(12)));
                var win = new Op.Window(1, 1, 1, 1, false);
                var y = dev.modelc.graph.TypeRules.conv(x, k, win);
                int xi = b.input(Role.INPUT, "x", x), ki = b.input(Role.PARAM, "k", k);
                int ci = b.input(Role.PARAM, "c", new TensorType(dtype, List.of(DimExpr.constant(12))));
                int conv = b.emit(new Op.Conv2D(win), List.of(xi, ki), y);
                int out = b.unary(UnaryFn.TANH, b.add(conv, b.broadcast(ci, List.of(3), y.shape())));
                Graph g = b.build("conv", List.of(new Graph.Result("y", out)));
                fusedAndAgrees(g, KernelKind.CONV, dtype, vectorBits, 1e-4);
            }
        }
    }

    /**
     * {@code g} is one kernel of {@code kind} with an epilogue, and its lowering with vectors of
     * {@code vectorBits} (256: the vector kernel for f32; 0: the gather, then the epilogue) gives
     * the interpreter's values within {@code relTol}.
     */
    private static void fusedAndAgrees(Graph g, KernelKind kind, DType dtype, int vectorBits, double relTol) {
        var f = Fusion.fuse(g);
        assertEquals(1, f.kernels().size(), FusedPrinter.print(f));
        assertEquals(kind, f.kernels().get(0).kind());
        assertTrue(f.kernels().get(0).hasEpilogue(), FusedPrinter.print(f));
        var inputs = feeds(g, dtype);
        var got = dev.modelc.loops.LoopEvaluator.run(LoopLowering.lower(f, vectorBits), inputs, Map.of()).get("y").toDoubleArray();
        var want = dev.modelc.interp.Interpreter.run(g, inputs).get("y").toDoubleArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], relTol * (1 + Math.abs(want[i])), dtype + " " + vectorBits + " at " + i);
    }

    private static Map<String, Tensor> feeds(Graph g, DType dtype) {
        var f32 = feeds(g);
        if (dtype == DType.F32) return f32;
        var out = new HashMap<String, Tensor>();
        f32.forEach((name, t) -> {
            float[] v = t.toFloatArray();
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            out.put(name, Tensor.of(d, t.shape()));
        });
        return out;
    }

    @Test
    void aMaxPoolGradientTakesTheReluMaskAsAnEpilogueInEveryElementType() {
        for (var dtype : List.of(DType.F32, DType.F64)) {
            for (int vectorBits : new int[] {0, 256}) {
                var b = new GraphBuilder();
                var x = new TensorType(dtype, List.of(DimExpr.constant(2), DimExpr.constant(6), DimExpr.constant(8), DimExpr.constant(12)));
                var pool = new Op.Pool(2, 2, 2, 2, false);
                var y = dev.modelc.graph.TypeRules.pool(x, pool);
                int xi = b.input(Role.INPUT, "x", x), dy = b.input(Role.INPUT, "dy", y), z = b.input(Role.INPUT, "z", x);
                int grad = b.emit(new Op.MaxPoolGrad(pool), List.of(xi, dy), x);
                int zero = b.constant(0, x);
                int out = b.select(b.binary(Op.BinaryFn.GT, z, zero), grad, zero);
                Graph g = b.build("mask", List.of(new Graph.Result("y", out)));
                fusedAndAgrees(g, KernelKind.POOL, dtype, vectorBits, 0);
            }
        }
    }
}
