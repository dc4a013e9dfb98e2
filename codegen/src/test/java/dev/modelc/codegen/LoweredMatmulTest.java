package dev.modelc.codegen;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lowered f32 matmuls, compiled by every backend, bit for bit what the evaluator computes: row
 * blocks outermost (a small or a deep B) and column strips outermost (a B of more than 65,536
 * elements, wider than deep), with leftover rows and columns.
 */
class LoweredMatmulTest {
    static Stream<Arguments> shapes() {
        return TestBackend.each(Stream.of(Arguments.of(6L, 40L, 50L), Arguments.of(7L, 300L, 250L), Arguments.of(7L, 250L, 300L),
                Arguments.of(5L, 200L, 336L)));
    }

    @ParameterizedTest(name = "{0} [B={1}, {2}] @ [{2}, {3}]")
    @MethodSource("shapes")
    void agreesWithTheEvaluator(TestBackend backend, long m, long k, long n) {
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
        Agreement.assertAgrees(backend, LoopLowering.lower(Fusion.fuse(g)), Map.of("a", Tensor.of(a, m, k), "b", Tensor.of(bv, k, n)), Map.of("B", m));
    }
}
