package dev.modelc.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The f32 matmul kernel cut into column blocks (A the smaller operand) or row blocks, checked
 * bit for bit against each element's FMA chain over k in order (what every tile computes,
 * whatever the cut), with the tails in both dimensions, transposed operands, batches, a symbolic
 * M and an epilogue.
 */
class MatMulSplitTest {
    private static final DimExpr B = DimExpr.var("B");

    /** M x K x N; {@code symbolicM}: M is the dimension B, bound to {@code m}; {@code columns}: the cut expected. */
    record Case(int m, int k, int n, boolean ta, boolean tb, boolean batch, boolean epilogue, boolean symbolicM, boolean columns) {
        @Override
        public String toString() {
            return (symbolicM ? "B=" : "") + m + "x" + k + "x" + n + (ta ? " A^T" : "") + (tb ? " B^T" : "") + (batch ? " batch" : "")
                    + (epilogue ? " relu(+bias)" : "") + (columns ? " (column blocks)" : " (row blocks)");
        }
    }

    static Stream<Case> cases() {
        var out = new ArrayList<Case>();
        // column blocks: no 8-wide tail, 4 scalar columns; 8-wide tail, 2 scalar columns and a
        // one-row tile; k-blocked with 3 scalar columns; B read in place (M below 16)
        int[][] columns = {{20, 40, 100}, {37, 50, 90}, {18, 300, 75}, {6, 30, 60}};
        for (int[] s : columns) {
            for (int t = 0; t < 4; t++) out.add(new Case(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, false, t == 0, false, true));
            out.add(new Case(s[0], s[1], s[2], false, false, true, true, false, true));
        }
        out.add(new Case(37, 50, 90, true, true, true, false, false, true));
        out.add(new Case(5, 40, 200, false, false, false, true, true, true)); // 128 assumed for B: 128 < 200; one block for 5 rows
        out.add(new Case(37, 40, 200, true, false, false, true, true, true)); // 12 strips dealt into 5 blocks for 37 rows
        out.add(new Case(5, 40, 100, false, true, false, false, true, false)); // 128 > 100
        out.add(new Case(32, 20, 32, false, false, false, false, false, true)); // M = N
        // row blocks: M above N, or a single strip
        out.add(new Case(70, 30, 40, true, false, false, true, false, false));
        out.add(new Case(33, 20, 20, false, true, false, false, false, false));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyElementIsItsFmaChain(Case c) {
        var b = new GraphBuilder();
        DimExpr m = c.symbolicM() ? B : DimExpr.constant(c.m()), k = DimExpr.constant(c.k()), n = DimExpr.constant(c.n());
        var perm = c.batch() ? List.of(0, 2, 1) : List.of(1, 0);
        int x = b.input(Role.INPUT, "x", f32(c.batch(), c.ta() ? List.of(k, m) : List.of(m, k)));
        int w = b.input(Role.PARAM, "w", f32(c.batch(), c.tb() ? List.of(n, k) : List.of(k, n)));
        int y = b.matmul(c.ta() ? b.transpose(x, perm) : x, c.tb() ? b.transpose(w, perm) : w);
        int bias = -1;
        if (c.epilogue()) {
            bias = b.input(Role.PARAM, "bias", f32(false, List.of(n)));
            y = b.unary(Op.UnaryFn.RELU, b.add(y, b.broadcastTo(bias, b.type(y).shape())));
        }
        Graph g = b.build("op", List.of(new Graph.Result("y", y)));
        var program = LoopLowering.lower(Fusion.fuse(g));
        String loops = LoopPrinter.print(program);
        assertEquals(c.columns(), loops.contains("for cb"), "column blocks expected: " + c.columns() + "\n" + loops);

        int mats = c.batch() ? 2 : 1;
        var rnd = new Random(c.toString().hashCode());
        float[] xs = gaussians(rnd, mats * c.m() * c.k()), ws = gaussians(rnd, mats * c.k() * c.n()), bs = gaussians(rnd, c.n());
        var feeds = new HashMap<String, Tensor>();
        feeds.put("x", Tensor.of(xs, shape(c.batch(), c.ta() ? c.k() : c.m(), c.ta() ? c.m() : c.k())));
        feeds.put("w", Tensor.of(ws, shape(c.batch(), c.tb() ? c.n() : c.k(), c.tb() ? c.k() : c.n())));
        if (bias >= 0) feeds.put("bias", Tensor.of(bs, c.n()));
        var dims = c.symbolicM() ? java.util.Map.of("B", (long) c.m()) : java.util.Map.<String, Long>of();
        float[] actual = LoopEvaluator.run(program, feeds, dims).get("y").toFloatArray();

        for (int t = 0; t < mats; t++) {
            for (int i = 0; i < c.m(); i++) {
                for (int j = 0; j < c.n(); j++) {
                    float sum = 0;
                    for (int kk = 0; kk < c.k(); kk++) {
                        float a = xs[t * c.m() * c.k() + (c.ta() ? kk * c.m() + i : i * c.k() + kk)];
                        float bv = ws[t * c.k() * c.n() + (c.tb() ? j * c.k() + kk : kk * c.n() + j)];
                        sum = Math.fma(a, bv, sum);
                    }
                    float expected = c.epilogue() ? Math.max(sum + bs[j], 0f) : sum;
                    float got = actual[(t * c.m() + i) * c.n() + j];
                    if (Float.floatToIntBits(got) != Float.floatToIntBits(expected)) {
                        fail(c + ": y[" + t + ", " + i + ", " + j + "] is " + got + ", its FMA chain " + expected + "\n" + loops);
                    }
                }
            }
        }
    }

    /** The cut and the block sizes for the MLP's and the benchmark's shapes (16-column strips; -1: symbolic). */
    @Test
    void cutsAndBlockSizes() {
        assertEquals(MatMulSplit.Kind.COLUMNS, MatMulSplit.of(-1, 784, 256, 16)); // [B, 784] @ [784, 256]
        assertEquals(MatMulSplit.Kind.COLUMNS, MatMulSplit.of(-1, 256, 128, 16)); // A and B the same size, A 128 KiB
        assertEquals(MatMulSplit.Kind.COLUMNS, MatMulSplit.of(512, 512, 512, 16)); // A 1 MiB
        assertEquals(MatMulSplit.Kind.ROWS, MatMulSplit.of(1024, 1024, 1024, 16)); // A 4 MiB
        assertEquals(MatMulSplit.Kind.ROWS, MatMulSplit.of(784, -1, 256, 16)); // a weight gradient [784, B] @ [B, 256]
        assertEquals(MatMulSplit.Kind.ROWS, MatMulSplit.of(-1, 128, 64, 16)); // [B, 128] @ [128, 64]
        assertEquals(MatMulSplit.Kind.ROWS, MatMulSplit.of(4, 30, 16, 16)); // one strip
        assertEquals(MatMulSplit.Kind.ROWS, MatMulSplit.of(4, 30, -1, 16)); // symbolic N
        assertEquals(8, MatMulSplit.columnBlocks(16, -1, 784, 16)); // 2 strips each: A is 392 KiB
        assertEquals(16, MatMulSplit.columnBlocks(16, 64, 784, 16)); // a strip each
        assertEquals(13, MatMulSplit.columnBlocks(49, -1, 256, 16)); // 4 strips each, the last 1
        assertEquals(15, MatMulSplit.columnBlocks(100, -1, 128, 16)); // 7 strips each: [B, 128] @ [128, 1600]
        assertEquals(100, MatMulSplit.columnBlocks(100, -1, 1600, 16)); // a strip each: 2 would pass 128 KiB of packed B
        assertEquals(2, MatMulSplit.columnBlocks(2, 8, -1, 16));
        assertEquals(32, MatMulSplit.rowBlock(-1, 4));
        assertEquals(36, MatMulSplit.rowBlock(70, 4)); // 2 blocks
    }

    private static TensorType f32(boolean batch, List<DimExpr> matrix) {
        var shape = new ArrayList<DimExpr>();
        if (batch) shape.add(DimExpr.constant(2));
        shape.addAll(matrix);
        return new TensorType(DType.F32, shape);
    }

    private static long[] shape(boolean batch, long rows, long cols) {
        return batch ? new long[] {2, rows, cols} : new long[] {rows, cols};
    }

    private static float[] gaussians(Random rnd, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
