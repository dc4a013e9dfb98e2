package dev.modelc.loops;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * One-op f32 graphs over a batch dimension B, lowered to Loop IR and checked against the
 * interpreter by {@link LoopAgreement}, with a check that the lowering took an f32 kernel (the
 * gathers accumulate in f64).
 */
final class F32Agreement {
    private F32Agreement() {}

    static final DimExpr B = DimExpr.var("B");
    static final long BATCH = 2;

    /** An f32 type; {@code batch} (null for none) as the leading dimension. */
    static TensorType f32(DimExpr batch, long... rest) {
        var shape = new ArrayList<DimExpr>();
        if (batch != null) shape.add(batch);
        for (long d : rest) shape.add(DimExpr.constant(d));
        return new TensorType(DType.F32, shape);
    }

    /**
     * Result {@code result} of {@code b}'s graph, on inputs {@code inputs} drawn by {@code draw}
     * from a seed made of {@code label}, within {@code absTol + 1e-4 * |expected|}.
     */
    static void check(GraphBuilder b, int result, String label, ToDoubleFunction<Random> draw, double absTol, int... inputs) {
        Graph g = b.build("op", List.of(new Graph.Result("y", result)));
        String loops = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
        assertFalse(loops.contains("f64"), "the f32 kernel is used, not the double gather:\n" + loops);
        var rnd = new Random(label.hashCode());
        var feeds = new HashMap<String, Tensor>();
        for (int id : inputs) {
            var n = b.node(id);
            long[] shape = n.type().shape().stream().mapToLong(d -> d.equals(B) ? BATCH : d.constantValue().orElseThrow()).toArray();
            float[] v = new float[(int) Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
            for (int i = 0; i < v.length; i++) v[i] = (float) draw.applyAsDouble(rnd);
            feeds.put(((Op.Input) n.op()).name(), Tensor.of(v, shape));
        }
        LoopAgreement.check(g, Map.copyOf(feeds), 1e-4, absTol);
    }
}
