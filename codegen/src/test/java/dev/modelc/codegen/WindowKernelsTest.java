package dev.modelc.codegen;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Pool;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.Op.Window;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.TypeRules;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The f32 convolution and max-pool kernels of the Loop IR lowering (vector register tiles,
 * hoisted tap ranges, scalar channel tails), compiled by every backend: bit for bit what the Loop
 * IR evaluator computes, over strides, dilations, paddings and channel counts that reach every
 * part of them.
 */
class WindowKernelsTest {
    private static final DimExpr B = DimExpr.var("B");

    record Case(String label, Graph graph) {
        @Override
        public String toString() { return label; }
    }

    static Stream<Arguments> cases() { return TestBackend.each(windowCases()); }

    static Stream<Case> windowCases() {
        var out = new ArrayList<Case>();
        var windows = List.of(new Window(1, 1, 1, 1, false), new Window(2, 2, 1, 1, true), new Window(1, 2, 2, 1, true));
        long[][] channels = {{1, 32}, {3, 20}, {20, 64}, {32, 3}, {3, 28}};
        for (var win : windows) {
            for (long[] c : channels) {
                var x = f32(B, 7, 10, c[0]);
                var k = f32(null, 3, 3, c[0], c[1]);
                var y = TypeRules.conv(x, k, win);
                String at = " x" + x.shape() + " k" + k.shape() + " " + win;
                out.add(new Case("conv2d" + at, graph(new Op.Conv2D(win), y, x, k)));
                out.add(new Case("conv2d_input_grad" + at, graph(new Op.Conv2DInputGrad(win), x, y, k)));
                out.add(new Case("conv2d_kernel_grad" + at, graph(new Op.Conv2DKernelGrad(win), k, x, y)));
                out.add(new Case("relu(conv2d + bias)" + at, convBiasRelu(win, x, k, y, c[1])));
                out.add(new Case("conv2d_kernel_grad + 0.5 k" + at, decayedKernelGrad(win, x, k, y)));
            }
        }
        for (var pool : List.of(new Pool(2, 2, 2, 2, false), new Pool(3, 3, 2, 2, true))) {
            for (long[] hc : new long[][] {{7, 3}, {7, 20}, {6, 20}}) { // 6 x 8 with 2 x 2 windows: they tile the image
                long c = hc[1];
                var x = f32(B, hc[0], 8, c);
                var y = TypeRules.pool(x, pool);
                String at = " x" + x.shape() + " " + pool;
                out.add(new Case("maxpool" + at, graph(new Op.MaxPool(pool), y, x)));
                out.add(new Case("maxpool_select" + at, graph(new Op.MaxPoolSelect(pool), y, x, x)));
                out.add(new Case("maxpool_grad" + at, graph(new Op.MaxPoolGrad(pool), x, x, y)));
                out.add(new Case("relu mask of maxpool_grad" + at, maskedPoolGrad(pool, x, y)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void compiledAgreesWithTheEvaluator(TestBackend backend, Case c) {
        var rnd = new Random(c.label().hashCode());
        var inputs = new HashMap<String, Tensor>();
        for (var n : c.graph().nodes()) {
            if (!(n.op() instanceof Op.Input in)) continue;
            long[] shape = n.type().shape().stream().mapToLong(d -> d.equals(B) ? 2 : d.constantValue().orElseThrow()).toArray();
            float[] v = new float[(int) Tensor.elementCountOf(shape)];
            // a few distinct values, so that pooling windows have ties
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : (float) rnd.nextGaussian();
            inputs.put(in.name(), Tensor.of(v, shape));
        }
        Agreement.assertAgrees(backend, LoopLowering.lower(Fusion.fuse(c.graph())), inputs, Map.of("B", 2L));
    }

    /** relu(conv2d(x, k) + c): the bias add and relu become the conv kernel's epilogue, over each output row. */
    private static Graph convBiasRelu(Window win, TensorType x, TensorType k, TensorType y, long channels) {
        var b = new GraphBuilder();
        int xi = b.input(Role.INPUT, "in0", x), ki = b.input(Role.INPUT, "in1", k), ci = b.input(Role.INPUT, "in2", f32(null, channels));
        int conv = b.emit(new Op.Conv2D(win), List.of(xi, ki), y);
        int out = b.unary(dev.modelc.graph.Op.UnaryFn.RELU, b.add(conv, b.broadcast(ci, List.of(3), y.shape())));
        var g = b.build("window", List.of(new Graph.Result("y", out)));
        var fused = Fusion.fuse(g);
        if (fused.kernels().size() != 1) throw new AssertionError("not fused into the conv:\n" + dev.modelc.fuse.FusedPrinter.print(fused));
        return g;
    }

    /** select(z > 0, maxpool_grad(x, dy), 0), a relu's gradient: the select becomes the pool gradient's epilogue, per image. */
    private static Graph maskedPoolGrad(Pool pool, TensorType x, TensorType y) {
        var b = new GraphBuilder();
        int xi = b.input(Role.INPUT, "in0", x), dy = b.input(Role.INPUT, "in1", y), z = b.input(Role.INPUT, "in2", x);
        int grad = b.emit(new Op.MaxPoolGrad(pool), List.of(xi, dy), x);
        int zero = b.constant(0, x);
        int out = b.select(b.binary(dev.modelc.graph.Op.BinaryFn.GT, z, zero), grad, zero);
        var g = b.build("window", List.of(new Graph.Result("y", out)));
        var fused = Fusion.fuse(g);
        if (fused.kernels().size() != 1) throw new AssertionError("not fused into the pool gradient:\n" + dev.modelc.fuse.FusedPrinter.print(fused));
        return g;
    }

    /** conv2d_kernel_grad(x, dy) + 0.5 * k, an optimiser's weight decay: the add becomes the gradient's epilogue. */
    private static Graph decayedKernelGrad(Window win, TensorType x, TensorType k, TensorType y) {
        var b = new GraphBuilder();
        int xi = b.input(Role.INPUT, "in0", x), dy = b.input(Role.INPUT, "in1", y), ki = b.input(Role.INPUT, "in2", k);
        int grad = b.emit(new Op.Conv2DKernelGrad(win), List.of(xi, dy), k);
        int out = b.add(grad, b.scale(ki, 0.5));
        var g = b.build("window", List.of(new Graph.Result("y", out)));
        var fused = Fusion.fuse(g);
        if (fused.kernels().size() != 1) throw new AssertionError("not fused into the kernel gradient:\n" + dev.modelc.fuse.FusedPrinter.print(fused));
        return g;
    }

    /** {@code op} on inputs of the given types, giving {@code result}. */
    private static Graph graph(Op op, TensorType result, TensorType... inputs) {
        var b = new GraphBuilder();
        var ids = new ArrayList<Integer>();
        for (int i = 0; i < inputs.length; i++) ids.add(b.input(Role.INPUT, "in" + i, inputs[i]));
        return b.build("window", List.of(new Graph.Result("y", b.emit(op, ids, result))));
    }

    private static TensorType f32(DimExpr batch, long... rest) {
        var shape = new ArrayList<DimExpr>();
        if (batch != null) shape.add(batch);
        for (long d : rest) shape.add(DimExpr.constant(d));
        return new TensorType(DType.F32, shape);
    }
}
