package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bias-gradient-shaped sums (every axis but the last) take vectors of doubles over the columns
 * (f32 widened, added lane by lane) with a scalar tail in each strip; compiled, they agree with
 * the evaluator bit for bit, over awkward values and a strip that ends in a tail.
 */
class ColumnSumsCompiledTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void vectorColumnSumsAgreeBitForBit(TestBackend backend) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", TensorType.of(DType.F32, DimExpr.var("B"), DimExpr.constant(3), DimExpr.constant(70)));
        Graph g = b.build("e", List.of(new Graph.Result("sum", b.reduce(ReduceFn.SUM, x, List.of(0, 1)))));
        var program = LoopLowering.lower(Fusion.fuse(g));
        assertTrue(LoopPrinter.print(program).contains("<4 x f64>"), LoopPrinter.print(program));
        var rnd = new Random(11);
        float[] awkward = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, -1e-7f};
        var v = new float[4 * 3 * 70];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(50) == 0 ? awkward[rnd.nextInt(awkward.length)] : (float) rnd.nextGaussian();
        Agreement.assertAgrees(backend, program, Map.of("x", Tensor.of(v, 4, 3, 70)), Map.of("B", 4L));
    }
}
