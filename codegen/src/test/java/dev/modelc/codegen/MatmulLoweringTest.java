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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matmul kernels of the Loop IR lowering (packed B strips, row and k blocks, row and column
 * tails, operands read through a transpose, batches, epilogues, the scalar path of other
 * types), compiled by every backend: bit for bit what the Loop IR evaluator computes.
 */
class MatmulLoweringTest {
    record Case(String label, Graph graph, Map<String, Long> dims) {
        @Override
        public String toString() { return label; }
    }

    /** How the product is used: alone, under an epilogue, or with a second user of the product. */
    enum Use { PLAIN, BIAS_RELU, EXP, SHARED }

    static Stream<Arguments> cases() { return TestBackend.each(matmulCases()); }

    static Stream<Case> matmulCases() {
        var out = new ArrayList<Case>();
        // rows: one, a partial tile, full tiles, several row blocks with a tail; k: tiny, one block,
        // a partial last block; columns: scalars only, one vector, a strip, strips + vector + scalars
        int[][] shapes = {{1, 1, 1}, {3, 5, 10}, {4, 7, 16}, {13, 300, 40}, {70, 33, 8}, {130, 257, 37}, {17, 513, 19}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(matmul(DType.F32, s, ta, tb, false, false, Use.PLAIN));
                }
            }
        }
        out.add(matmul(DType.F32, new int[] {37, 300, 40}, false, false, false, true, Use.PLAIN));
        out.add(matmul(DType.F32, new int[] {37, 20, 40}, true, true, false, true, Use.PLAIN));
        out.add(matmul(DType.F32, new int[] {9, 300, 21}, false, false, true, false, Use.PLAIN));
        out.add(matmul(DType.F32, new int[] {9, 30, 21}, true, true, true, true, Use.PLAIN));
        for (var use : List.of(Use.BIAS_RELU, Use.EXP, Use.SHARED)) {
            out.add(matmul(DType.F32, new int[] {13, 300, 40}, false, false, false, true, use));
            out.add(matmul(DType.F32, new int[] {6, 9, 27}, true, true, true, false, use));
            out.add(matmul(DType.F64, new int[] {5, 7, 9}, true, false, false, false, use));
        }
        for (var t : List.of(DType.F64, DType.I32)) {
            out.add(matmul(t, new int[] {5, 7, 9}, false, false, false, false, Use.PLAIN));
            out.add(matmul(t, new int[] {5, 7, 9}, true, true, true, true, Use.PLAIN));
        }
        return out.stream();
    }

    /** {@code a @ b} of {@code t}, M x K x N, each operand stored transposed or not, with a batch of 2 or not, M a variable or not. */
    static Case matmul(DType t, int[] s, boolean ta, boolean tb, boolean batch, boolean varRows, Use use) {
        int m = s[0], k = s[1], n = s[2];
        var b = new GraphBuilder();
        DimExpr rows = varRows ? DimExpr.var("M") : DimExpr.constant(m);
        int a = b.input(Role.INPUT, "a", type(t, batch, ta ? DimExpr.constant(k) : rows, ta ? rows : DimExpr.constant(k)));
        int w = b.input(Role.PARAM, "w", type(t, batch, DimExpr.constant(tb ? n : k), DimExpr.constant(tb ? k : n)));
        var perm = batch ? List.of(0, 2, 1) : List.of(1, 0);
        int y = b.matmul(ta ? b.transpose(a, perm) : a, tb ? b.transpose(w, perm) : w);
        var results = new ArrayList<Graph.Result>();
        switch (use) {
            case PLAIN -> results.add(new Graph.Result("y", y));
            case BIAS_RELU -> {
                int bias = b.input(Role.PARAM, "bias", type(t, false, DimExpr.constant(n)));
                results.add(new Graph.Result("y", b.unary(Op.UnaryFn.RELU, b.add(y, b.broadcastTo(bias, b.type(y).shape())))));
            }
            case EXP -> results.add(new Graph.Result("y", b.mul(b.unary(Op.UnaryFn.EXP, b.scale(y, 0.01)), y)));
            case SHARED -> {
                int bias = b.input(Role.PARAM, "bias", type(t, false, DimExpr.constant(n)));
                int pre = b.add(y, b.broadcastTo(bias, b.type(y).shape()));
                results.add(new Graph.Result("y", b.unary(Op.UnaryFn.RELU, pre)));
                results.add(new Graph.Result("z", b.reduce(Op.ReduceFn.SUM, pre, List.of(b.type(pre).rank() - 1))));
            }
        }
        String label = t + " " + m + "x" + k + "x" + n + (ta ? " A^T" : "") + (tb ? " B^T" : "") + (batch ? " batch" : "")
                + (varRows ? " M var" : "") + " " + use;
        return new Case(label, b.build("mm", results), varRows ? Map.of("M", (long) m) : Map.of());
    }

    private static TensorType type(DType t, boolean batch, DimExpr... dims) {
        var shape = new ArrayList<DimExpr>();
        if (batch) shape.add(DimExpr.constant(2));
        shape.addAll(List.of(dims));
        return new TensorType(t, shape);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void compiledAgreesWithTheEvaluator(TestBackend backend, Case c) {
        var rnd = new Random(c.label().hashCode());
        var inputs = new HashMap<String, Tensor>();
        for (var node : c.graph().nodes()) {
            if (!(node.op() instanceof Op.Input in)) continue;
            long[] shape = node.type().shape().stream().mapToLong(d -> d.isConstant() ? d.constantValue().orElseThrow() : c.dims().get("M")).toArray();
            int count = (int) Tensor.elementCountOf(shape);
            inputs.put(in.name(), switch (node.type().dtype()) {
                case F32 -> {
                    float[] v = new float[count];
                    for (int i = 0; i < count; i++) v[i] = (float) rnd.nextGaussian();
                    yield Tensor.of(v, shape);
                }
                case F64 -> {
                    double[] v = new double[count];
                    for (int i = 0; i < count; i++) v[i] = rnd.nextGaussian();
                    yield Tensor.of(v, shape);
                }
                default -> {
                    int[] v = new int[count];
                    for (int i = 0; i < count; i++) v[i] = rnd.nextInt(7) - 3;
                    yield Tensor.of(v, shape);
                }
            });
        }
        Agreement.assertAgrees(backend, LoopLowering.lower(Fusion.fuse(c.graph())), inputs, c.dims());
    }
}
