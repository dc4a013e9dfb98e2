package dev.modelc.codegen.jvm;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lowered f32 matmuls, compiled, bit for bit what the evaluator computes: row blocks outermost
 * (a small or a deep B) and column strips outermost (a B of more than 65,536 elements, wider than
 * deep), with leftover rows and columns.
 */
class LoweredMatmulTest {
    @ParameterizedTest(name = "[B={0}, {1}] @ [{1}, {2}]")
    @CsvSource({"6, 40, 50", "7, 300, 250", "7, 250, 300", "5, 200, 336"})
    void agreesWithTheEvaluator(long m, long k, long n) {
        var b = new GraphBuilder();
        var bDim = DimExpr.var("B");
        int x = b.input(Role.INPUT, "a", TensorType.of(DType.F32, bDim, DimExpr.constant(k)));
        int w = b.input(Role.INPUT, "b", TensorType.of(DType.F32, DimExpr.constant(k), DimExpr.constant(n)));
        int y = b.emit(new Op.MatMul(), List.of(x, w), TensorType.of(DType.F32, bDim, DimExpr.constant(n)));
        Graph g = b.build("mm", List.of(new Graph.Result("y", y)));
        var rnd = new Random(k * 31 + n);
        float[] a = new float[(int) (m * k)], bv = new float[(int) (k * n)];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < bv.length; i++) bv[i] = (float) rnd.nextGaussian();
        Agreement.assertAgrees(LoopLowering.lower(Fusion.fuse(g)), Map.of("a", Tensor.of(a, m, k), "b", Tensor.of(bv, k, n)), Map.of("B", m));
    }
}
