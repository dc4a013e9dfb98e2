package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.interp.Interpreter;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resident inputs keep their values across runs and batch sizes, whether the program updates them in place or not. */
class ResidentRunnerTest {
    private static final TensorType W = TensorType.of(DType.F32, DimExpr.constant(3), DimExpr.constant(3));

    /** w' = w - 0.5 * (colsum(x) broadcast) [+ transpose(w) * 0.25 when {@code notInPlace}]; loss = sum(x) + sum(w). */
    private static Graph step(boolean notInPlace) {
        var b = new GraphBuilder();
        int w = b.input(Role.PARAM, "w", W);
        int x = b.input(Role.INPUT, "x", TensorType.of(DType.F32, DimExpr.var("B"), DimExpr.constant(3)));
        int loss = b.add(b.reduce(ReduceFn.SUM, x, List.of(0, 1)), b.reduce(ReduceFn.SUM, w, List.of(0, 1)));
        int g = b.broadcast(b.reduce(ReduceFn.SUM, x, List.of(0)), List.of(1), List.of(DimExpr.constant(3), DimExpr.constant(3)));
        int next = b.sub(w, b.scale(g, 0.5));
        if (notInPlace) next = b.add(next, b.scale(b.transpose(w, List.of(1, 0)), 0.25));
        return b.build("step", List.of(new Graph.Result("w", next), new Graph.Result("loss", loss)));
    }

    private static Tensor batch(int n, int seed) {
        float[] v = new float[n * 3];
        for (int i = 0; i < v.length; i++) v[i] = (i * 7 + seed) % 5 - 2;
        return Tensor.of(v, n, 3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TestBackend.class, names = {"JVM", "LLVM"})
    void residentInputsCarryOverAcrossRunsAndBatchSizes(TestBackend backend) {
        for (boolean notInPlace : new boolean[] {false, true}) {
            var graph = step(notInPlace);
            var fused = Fusion.fuse(graph);
            assertEquals(notInPlace, fused.inPlace().isEmpty(), "in place: " + fused.inPlace());
            var runner = backend.compile(LoopLowering.lower(fused)).resident(List.of("w"));
            assertEquals(List.of("w"), runner.residents());
            var w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
            runner.put("w", w);
            for (int i = 0; i < 6; i++) {
                int n = i % 3 == 2 ? 2 : 5; // a partial batch now and then, as at the end of an epoch
                var x = batch(n, i);
                var inputs = new HashMap<String, Tensor>(Map.of("x", x, "w", w));
                var expected = Interpreter.run(graph, inputs);
                runner.run(Map.of("x", x), Map.of("B", (long) n));
                assertEquals(expected.get("loss").getFloat(), runner.scalar("loss"), "run " + i);
                w = expected.get("w");
                assertEquals(w, runner.get("w"), "run " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TestBackend.class, names = {"JVM", "LLVM"})
    void mistakesAreClearErrors(TestBackend backend) {
        var runner = backend.compile(LoopLowering.lower(Fusion.fuse(step(false)))).resident(List.of("w"));
        assertThrows(IllegalStateException.class, () -> runner.scalar("loss"));
        var e = assertThrows(IllegalArgumentException.class, () -> runner.run(Map.of(), Map.of("B", 2L)));
        assertEquals("missing input x", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> runner.put("w", Tensor.of(new float[4], 2, 2)));
        assertEquals("input w has 4 elements, not 9", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> runner.get("x"));
        assertEquals("input x is not resident", e.getMessage());
    }
}
