package dev.modelc.loops;

import static dev.modelc.loops.F32Agreement.B;
import static dev.modelc.loops.F32Agreement.f32;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The f32 matmul kernel (packed strips, row and k blocks, tails in every dimension, operands
 * read through a transpose, batches, epilogues) against the interpreter, within the f32 policy:
 * the kernel accumulates in f32 FMA where the interpreter sums in double.
 */
class MatMulKernelsTest {
    /** M x K x N, operands stored transposed or not, with a batch axis (B) or not. */
    record Case(int m, int k, int n, boolean ta, boolean tb, boolean batch, boolean epilogue) {
        @Override
        public String toString() {
            return m + "x" + k + "x" + n + (ta ? " A^T" : "") + (tb ? " B^T" : "") + (batch ? " batch" : "") + (epilogue ? " relu(+bias)" : "");
        }
    }

    static Stream<Case> cases() {
        var out = new ArrayList<Case>();
        int[][] shapes = {{1, 3, 2}, {5, 9, 10}, {4, 256, 16}, {9, 300, 24}, {66, 17, 33}, {130, 260, 20}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) out.add(new Case(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, false, false));
            out.add(new Case(s[0], s[1], s[2], false, false, true, true));
        }
        out.add(new Case(9, 300, 24, true, true, true, false));
        out.add(new Case(66, 17, 33, true, false, false, true));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithTheInterpreter(Case c) {
        var b = new GraphBuilder();
        DimExpr batch = c.batch() ? B : null;
        var perm = c.batch() ? List.of(0, 2, 1) : List.of(1, 0);
        int x = b.input(Role.INPUT, "x", c.ta() ? f32(batch, c.k(), c.m()) : f32(batch, c.m(), c.k()));
        int w = b.input(Role.PARAM, "w", c.tb() ? f32(batch, c.n(), c.k()) : f32(batch, c.k(), c.n()));
        int y = b.matmul(c.ta() ? b.transpose(x, perm) : x, c.tb() ? b.transpose(w, perm) : w);
        var inputs = new ArrayList<>(List.of(x, w));
        if (c.epilogue()) {
            int bias = b.input(Role.PARAM, "bias", f32(null, c.n()));
            inputs.add(bias);
            y = b.unary(Op.UnaryFn.RELU, b.add(y, b.broadcastTo(bias, b.type(y).shape())));
        }
        F32Agreement.check(b, y, c.toString(), r -> r.nextGaussian(), 1e-4 * Math.sqrt(c.k()),
                inputs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** f64 and i32 keep the scalar dot product, accumulated in double or i64: exactly the interpreter, transposed operands included. */
    @Test
    void otherTypesAreExact() {
        for (var t : List.of(DType.F64, DType.I32)) {
            var b = new GraphBuilder();
            int x = b.input(Role.INPUT, "x", new TensorType(t, List.of(DimExpr.constant(7), DimExpr.constant(5))));
            int w = b.input(Role.PARAM, "w", new TensorType(t, List.of(DimExpr.constant(6), DimExpr.constant(7))));
            int y = b.matmul(b.transpose(x, List.of(1, 0)), b.transpose(w, List.of(1, 0)));
            Graph g = b.build("op", List.of(new Graph.Result("y", b.add(y, y))));
            String loops = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
            assertTrue(!loops.contains("<8 x"), loops);
            var rnd = new Random(3);
            Map<String, Tensor> feeds = t == DType.F64
                    ? Map.of("x", Tensor.of(rnd.doubles(35).toArray(), 7, 5), "w", Tensor.of(rnd.doubles(42).toArray(), 6, 7))
                    : Map.of("x", Tensor.of(rnd.ints(35, -9, 9).toArray(), 7, 5), "w", Tensor.of(rnd.ints(42, -9, 9).toArray(), 6, 7));
            LoopAgreement.check(g, feeds, 0);
        }
    }
}
