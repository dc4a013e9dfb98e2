package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU's tiled f32 matmul (shared memory, barriers, 4x4 elements per thread) on the simulated
 * GPU against the evaluator: edge tiles in every direction, K not a multiple of the slice,
 * operands read through transposes, a batch, and a fused bias and relu epilogue.
 */
class GpuMatmulTest {
    /** m, k, n, batch (0: none), A transposed, B transposed, bias-and-relu epilogue. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1, 0, false, false, false),
                Arguments.of(70, 50, 130, 0, false, false, false),
                Arguments.of(64, 16, 64, 0, false, false, true),
                Arguments.of(33, 40, 65, 0, true, false, false),
                Arguments.of(33, 40, 65, 0, false, true, true),
                Arguments.of(20, 17, 9, 3, true, true, false),
                Arguments.of(5, 100, 3, 2, false, false, true));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} batch {3} aT {4} bT {5} epilogue {6}")
    @MethodSource("shapes")
    void agreesWithTheEvaluatorAndAssembles(int m, int k, int n, int batch, boolean aT, boolean bT, boolean epilogue) throws Exception {
        check(m, k, n, batch, aT, bT, epilogue, false);
    }

    /** The same on the tensor cores: TF32 inputs (10 bits of mantissa), so within 1e-2 (the values are Gaussian, sums of up to 130 terms). */
    @ParameterizedTest(name = "{0}x{1}x{2} batch {3} aT {4} bT {5} epilogue {6}")
    @MethodSource("shapes")
    void onTheTensorCoresAgreesToTf32Precision(int m, int k, int n, int batch, boolean aT, boolean bT, boolean epilogue) throws Exception {
        check(m, k, n, batch, aT, bT, epilogue, true);
    }

    private static void check(int m, int k, int n, int batch, boolean aT, boolean bT, boolean epilogue, boolean tf32) throws Exception {
        var g = new GraphBuilder();
        var lead = batch > 0 ? List.of(DimExpr.constant(batch)) : List.<DimExpr>of();
        int a = g.input(Op.Role.INPUT, "a", TensorType.of(DType.F32, shape(lead, aT ? k : m, aT ? m : k)));
        int b = g.input(Op.Role.INPUT, "b", TensorType.of(DType.F32, shape(lead, bT ? n : k, bT ? k : n)));
        int r = lead.size() + 2;
        if (aT) a = g.transpose(a, swapLast(r));
        if (bT) b = g.transpose(b, swapLast(r));
        int c = g.matmul(a, b);
        if (epilogue) {
            int bias = g.input(Op.Role.INPUT, "bias", TensorType.of(DType.F32, DimExpr.constant(n)));
            c = g.add(c, bias);
            c = g.binary(Op.BinaryFn.MAX, c, g.constant(0, new TensorType(DType.F32, g.type(c).shape())));
        }
        Graph graph = g.build("mm", List.of(new Graph.Result("c", c)));
        var fused = Fusion.fuse(graph);
        var gpu = LoopLowering.lowerForGpu(fused, tf32);
        assertTrue(LoopPrinter.print(gpu).contains("threads(256)"), "the matmul is the tiled block kernel:\n" + LoopPrinter.print(gpu));
        assertEquals(tf32, LoopPrinter.print(gpu).contains("mma_tf32("));
        var inputs = new HashMap<String, Tensor>();
        var rnd = new Random(m * 31L + k * 7L + n);
        for (var node : graph.inputs()) {
            var in = (Op.Input) node.op();
            long[] s = node.type().shape().stream().mapToLong(d -> d.constantValue().orElseThrow()).toArray();
            float[] v = new float[(int) Tensor.elementCountOf(s)];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            inputs.put(in.name(), Tensor.of(v, s));
        }
        PtxAssemblyTest.assertAssembles(graph.name(), List.of(gpu), "sm_80");
        double tolerance = tf32 ? 1e-2 : 1e-4;
        Agreement.assertClose(TestBackend.GPU_SIMULATED, LoopLowering.lower(fused), gpu, inputs, new HashMap<>(), tolerance, tf32 ? 1e-2 : 1e-5);
    }

    private static DimExpr[] shape(List<DimExpr> lead, int rows, int cols) {
        var s = new ArrayList<>(lead);
        s.add(DimExpr.constant(rows));
        s.add(DimExpr.constant(cols));
        return s.toArray(new DimExpr[0]);
    }

    private static List<Integer> swapLast(int rank) {
        var perm = new ArrayList<Integer>();
        for (int i = 0; i < rank - 2; i++) perm.add(i);
        perm.add(rank - 1);
        perm.add(rank - 2);
        return perm;
    }
}
