package dev.modelc.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.*;
import java.util.List;
import org.junit.jupiter.api.Test;

public class GraphTextTest {
    private static final DimExpr B = DimExpr.var("B");

    private static DimExpr c(long v) { return DimExpr.constant(v); }

    /** A graph touching every op, built through the checking builder. */
    public static Graph everyOp() {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B, c(4), c(4), c(3)));
        int k = g.input(Role.PARAM, "k", TensorType.of(DType.F32, c(2), c(2), c(3), c(5)));
        int key = g.input(Role.KEY, "key", TensorType.scalar(DType.I64));
        var w = new Window(1, 1, 1, 1, true);
        int y = g.emit(new Conv2D(w), List.of(x, k), TypeRules.conv(g.type(x), g.type(k), w));
        g.emit(new Conv2DInputGrad(w), List.of(y, k), g.type(x));
        g.emit(new Conv2DKernelGrad(w), List.of(x, y), g.type(k));
        var p = new Pool(2, 2, 2, 2, false);
        int mp = g.emit(new MaxPool(p), List.of(y), TypeRules.pool(g.type(y), p));
        g.emit(new MaxPoolGrad(p), List.of(y, mp), g.type(y));
        g.emit(new MaxPoolSelect(p), List.of(y, y), g.type(mp));
        int ap = g.emit(new AvgPool(p), List.of(y), g.type(mp));
        g.emit(new AvgPoolGrad(p), List.of(ap), g.type(y));
        int f = g.reshape(y, List.of(B, c(80)));
        int u = g.unary(UnaryFn.GELU, f);
        int half = g.scalar(-0.5, DType.F32);
        int s = g.add(u, half);
        int cmp = g.binaryBroadcast(BinaryFn.GT, s, g.scalar(1e-8, DType.F32));
        int sel = g.select(cmp, s, g.zerosLike(s));
        int t = g.transpose(sel, List.of(1, 0));
        int m = g.matmul(sel, t);
        g.reduce(ReduceFn.SUM, m, List.of(0, 1));
        g.argReduce(true, m, 1);
        g.softmax(m, List.of(1));
        g.logSoftmax(m, List.of(1));
        g.logSumExp(m, List.of(1));
        g.slice(f, List.of(c(0), c(79)), List.of(1L, -2L), List.of(B, c(40)));
        g.pad(f, List.of(c(0), c(1)), List.of(0L, 1L), List.of(B, c(161)));
        g.concat(List.of(f, f), 1);
        g.iota(1, TensorType.of(DType.I64, B, c(10)));
        g.dimSize(B.times(c(2)).floorDiv(3), DType.F32);
        g.convert(cmp, DType.F64);
        g.emit(new RandomUniform(7), List.of(key), TensorType.of(DType.F32, B, c(80)));
        int last = g.unary(UnaryFn.NEG, g.constant(Double.NEGATIVE_INFINITY, TensorType.of(DType.F64)));
        return g.build("every", List.of(new Graph.Result("out", last), new Graph.Result("m", m)));
    }

    @Test
    void printsAndParsesBackToAnEqualGraph() {
        var g = Verifier.verify(everyOp());
        String text = GraphPrinter.print(g);
        var back = GraphParser.parse(text);
        assertEquals(g, back, text);
        assertEquals(text, GraphPrinter.print(back));
        var module = new GraphModule("M", List.of(g, g));
        assertEquals(module, GraphParser.parseModule(GraphPrinter.print(module)));
    }

    @Test
    void textIsReadable() {
        String text = GraphPrinter.print(everyOp());
        assertTrue(text.contains("%0 = input[name=\"x\"] : f32[B, 4, 4, 3]"), text);
        assertTrue(text.contains("conv2d[stride=[1, 1], dilation=[1, 1], padding=\"same\"](%0, %1) : f32[B, 4, 4, 5]"), text);
        assertTrue(text.contains("dim_size[of=(2*B)/3]"), text);
    }

    @Test
    void verifierReportsUseBeforeDefinitionAndBadTypes() {
        var bad = GraphParser.parse("""
                entry e {
                  %0 = input[name="x"] : f32[B, 3]
                  %1 = add(%0, %2) : f32[B, 3]
                  %2 = exp(%0) : f32[B, 4]
                  %3 = matmul(%0, %0) : f32[B, B]
                  return y = %9
                }
                """);
        var problems = Verifier.problems(bad);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("operand %2 is not defined before use"));
        assertTrue(problems.get(1).contains("type should be f32[B, 3]"));
        assertTrue(problems.get(2).contains("operands do not fit"));
        assertTrue(problems.get(3).contains("result y = %9 is not defined"));
    }

    @Test
    void parserNamesTheLineOfAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> GraphParser.parse("entry e {\n  %0 = frobnicate : f32[]\n}"));
        assertTrue(e.getMessage().startsWith("line 2: unknown op 'frobnicate'"), e.getMessage());
    }
}
