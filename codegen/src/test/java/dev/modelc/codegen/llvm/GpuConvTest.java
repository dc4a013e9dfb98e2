package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.TypeRules;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * conv2d and its two gradients as implicit matrix products on the GPU (patches gathered as the
 * tiles load), on the simulated GPU against the evaluator: one and several channels, strides,
 * dilation, "same" padding, a batch size known only at run time, and a fused bias and relu.
 */
class GpuConvTest {
    @ParameterizedTest(name = "B={0} {1}x{2}x{3} kernel {4}x{5}->{6} stride {7} dilation {8} same {9} {10}")
    @CsvSource({
        "2, 12, 12, 1, 3, 3, 8, 1, 1, false, conv",
        "3, 9, 11, 3, 3, 2, 70, 2, 1, true, conv",
        "1, 10, 10, 4, 3, 3, 5, 1, 2, true, conv",
        "2, 12, 12, 1, 3, 3, 8, 1, 1, false, kernelGrad",
        "3, 9, 11, 3, 3, 2, 70, 2, 1, true, kernelGrad",
        "2, 12, 12, 2, 3, 3, 8, 1, 1, false, inputGrad",
        "3, 9, 11, 3, 3, 2, 70, 2, 1, true, inputGrad",
        "1, 10, 10, 4, 3, 3, 5, 3, 2, true, inputGrad",
        "2, 7, 8, 66, 2, 2, 3, 2, 1, false, inputGrad",
    })
    void agreesWithTheEvaluatorAndAssembles(long batch, int h, int w, int c, int kh, int kw, int o, int stride, int dilation, boolean same, String op) throws Exception {
        var g = new GraphBuilder();
        var window = new Op.Window(stride, stride, dilation, dilation, same);
        var xType = TensorType.of(DType.F32, DimExpr.var("B"), DimExpr.constant(h), DimExpr.constant(w), DimExpr.constant(c));
        var kType = TensorType.of(DType.F32, DimExpr.constant(kh), DimExpr.constant(kw), DimExpr.constant(c), DimExpr.constant(o));
        int x = g.input(Op.Role.INPUT, "x", xType);
        int result;
        if (op.equals("kernelGrad")) {
            int dy = g.input(Op.Role.INPUT, "dy", TypeRules.conv(xType, kType, window));
            result = g.emit(new Op.Conv2DKernelGrad(window), List.of(x, dy), kType);
        } else if (op.equals("inputGrad")) {
            int dy = g.input(Op.Role.INPUT, "dy", TypeRules.conv(xType, kType, window));
            int k = g.input(Op.Role.INPUT, "k", kType);
            result = g.emit(new Op.Conv2DInputGrad(window), List.of(dy, k), xType);
        } else {
            int k = g.input(Op.Role.INPUT, "k", kType);
            result = g.emit(new Op.Conv2D(window), List.of(x, k), TypeRules.conv(xType, kType, window));
            int bias = g.input(Op.Role.INPUT, "bias", TensorType.of(DType.F32, DimExpr.constant(o)));
            result = g.add(result, bias);
            result = g.binary(Op.BinaryFn.MAX, result, g.constant(0, new TensorType(DType.F32, g.type(result).shape())));
        }
        Graph graph = g.build("conv", List.of(new Graph.Result("y", result)));
        var fused = Fusion.fuse(graph);
        var gpu = LoopLowering.lowerForGpu(fused);
        assertTrue(LoopPrinter.print(gpu).contains("threads(256)"), "the conv is the tiled block kernel:\n" + LoopPrinter.print(gpu));
        Map<String, Long> dims = Map.of("B", batch);
        var inputs = new HashMap<String, Tensor>();
        var rnd = new Random(h * 31L + c * 7L + o);
        for (var node : graph.inputs()) {
            long[] s = node.type().shape().stream().mapToLong(d -> d.evaluate(dims).orElseThrow()).toArray();
            float[] v = new float[(int) Tensor.elementCountOf(s)];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            inputs.put(((Op.Input) node.op()).name(), Tensor.of(v, s));
        }
        PtxAssemblyTest.assertAssembles(graph.name(), List.of(gpu), "sm_80");
        Agreement.assertClose(TestBackend.GPU_SIMULATED, LoopLowering.lower(fused), gpu, inputs, new HashMap<>(dims), 1e-4, 1e-5);
    }
}
