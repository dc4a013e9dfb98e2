package dev.modelc.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LoopAgreement;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which results take over the buffer of the input of the same name, and that the programs still compute the same values. */
class InPlaceTest {
    private static final TensorType W = TensorType.of(DType.F32, DimExpr.constant(3), DimExpr.constant(3));

    private static Map<String, Tensor> inputs() {
        return Map.of("w", Tensor.of(new float[] {1, -2, 3, 4, 5, -6, 7, 8, 9}, 3, 3),
                "g", Tensor.of(new float[] {0.5f, 1, 2, -1, 0, 3, 1, 1, -2}, 3, 3));
    }

    @Test
    void anUpdateReadingItsOldValueElementwiseIsWrittenOverIt() {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int g = b.input(Role.INPUT, "g", W);
        int loss = b.reduce(dev.modelc.graph.Op.ReduceFn.SUM, b.mul(w, g), List.of(0, 1));
        int next = b.sub(w, b.scale(b.unary(UnaryFn.TANH, g), 0.1));
        Graph graph = b.build("step", List.of(new Graph.Result("w", next), new Graph.Result("loss", loss)));
        var fused = Fusion.fuse(graph);
        assertEquals(Map.of(next, w), fused.inPlace());
        var program = LoopLowering.lower(fused);
        assertEquals(program.inputs().get("w"), program.results().get("w"));
        assertTrue(FusedPrinter.print(fused).contains("-> in place of w"), FusedPrinter.print(fused));
        assertTrue(LoopPrinter.print(program).contains("w[") , LoopPrinter.print(program));
        LoopAgreement.check(graph, inputs(), 0);
    }

    @Test
    void anInputReadByALaterKernelKeepsItsBuffer() {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int g = b.input(Role.INPUT, "g", W);
        int next = b.sub(w, g);
        // the loss is made after the update and reads the old w
        int loss = b.reduce(dev.modelc.graph.Op.ReduceFn.SUM, b.mul(w, g), List.of(0, 1));
        Graph graph = b.build("step", List.of(new Graph.Result("w", next), new Graph.Result("loss", loss)));
        var fused = Fusion.fuse(graph);
        assertEquals(Map.of(), fused.inPlace());
        LoopAgreement.check(graph, inputs(), 0);
    }

    @Test
    void anUpdateReadingItsOldValueAtOtherElementsKeepsItsBuffer() {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int g = b.input(Role.INPUT, "g", W);
        // w - transpose(w) + g: element (i, j) also reads (j, i), which an in-place loop may already have overwritten
        int next = b.add(b.sub(w, b.transpose(w, List.of(1, 0))), g);
        Graph graph = b.build("step", List.of(new Graph.Result("w", next)));
        var fused = Fusion.fuse(graph);
        assertEquals(Map.of(), fused.inPlace());
        LoopAgreement.check(graph, inputs(), 0);
    }

    @Test
    void aResultNamedAfterAnInputOfAnotherTypeKeepsItsBuffer() {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int next = b.convert(b.unary(UnaryFn.NEG, w), DType.F64);
        Graph graph = b.build("step", List.of(new Graph.Result("w", next)));
        assertEquals(Map.of(), Fusion.fuse(graph).inPlace());
    }

    @Test
    void anOldValueThatIsAlsoReturnedKeepsItsBuffer() {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int next = b.unary(UnaryFn.NEG, w);
        Graph graph = b.build("step", List.of(new Graph.Result("w", next), new Graph.Result("old", w)));
        assertEquals(Map.of(), Fusion.fuse(graph).inPlace());
    }
}
