package dev.modelc.loops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which pointwise kernels get vector loops, and that they still compute what the interpreter does. */
class VectorizerTest {
    private static final DimExpr B = DimExpr.var("B");

    private static TensorType f32(DimExpr... shape) { return TensorType.of(DType.F32, shape); }

    private static Tensor random(Random rnd, long... shape) {
        var v = new float[(int) Tensor.elementCountOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return Tensor.of(v, shape);
    }

    @Test
    void contiguousAndBroadcastLoadsBecomeVectorsWithAScalarTail() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(B, DimExpr.constant(20)));
        int bias = b.input(Role.PARAM, "b", f32(DimExpr.constant(20)));
        int s = b.input(Role.PARAM, "s", f32());
        int y = b.unary(UnaryFn.RELU, b.mul(b.add(x, bias), s));
        int m = b.binary(BinaryFn.MAX, y, b.unary(UnaryFn.NEG, y));
        Graph g = b.build("e", List.of(new Graph.Result("y", m)));
        String text = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
        assertTrue(text.contains("step 8"), text);
        assertTrue(text.contains("b[j0 ..+8]"), text);
        assertTrue(text.contains("in 16..20"), "a scalar loop for the last 4 of 20: " + text);
        var rnd = new Random(3);
        LoopAgreement.check(g, Map.of("x", random(rnd, 5, 20), "b", random(rnd, 20), "s", random(rnd)), 0);
    }

    @Test
    void stridedReadsAndTranscendentalsStayScalar() {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(DimExpr.constant(16), DimExpr.constant(16)));
        int t = b.transpose(x, List.of(1, 0));
        Graph g = b.build("e", List.of(new Graph.Result("t", b.add(t, x)), new Graph.Result("e", b.unary(UnaryFn.EXP, x))));
        String text = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
        assertFalse(text.contains("..+8"), text);
        LoopAgreement.check(g, Map.of("x", random(new Random(4), 16, 16)), 0);
    }
}
