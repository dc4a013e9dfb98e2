package dev.modelc.loops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions over every axis but the last take the row-by-row form, with the interpreter's result to the bit. */
class ColumnSumsTest {
    @Test
    void biasGradientShapedReductionsAgreeExactly() {
        var b = new GraphBuilder();
        var c = DimExpr.constant(70); // two strips of 64 columns, the second partial
        int x = b.input(Role.INPUT, "x", TensorType.of(DType.F32, DimExpr.var("B"), DimExpr.constant(3), DimExpr.constant(4), c));
        int sum = b.reduce(ReduceFn.SUM, x, List.of(0, 1, 2));
        int max = b.reduce(ReduceFn.MAX, x, List.of(0, 1, 2));
        Graph g = b.build("e", List.of(new Graph.Result("sum", sum), new Graph.Result("max", max)));
        String text = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
        assertTrue(text.contains("step 64") && text.contains("scratch"), text);
        var rnd = new Random(5);
        var v = new float[5 * 3 * 4 * 70];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        LoopAgreement.check(g, Map.of("x", Tensor.of(v, 5, 3, 4, 70)), 0);
    }
}
