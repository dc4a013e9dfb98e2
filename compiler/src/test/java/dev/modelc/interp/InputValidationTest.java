package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.DimSize;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputValidationTest {
    private static final DimExpr B = DimExpr.var("B"), N = DimExpr.var("N");

    private static Tensor zeros(dev.modelc.runtime.DType t, long... shape) { return Tensor.zeros(t, shape); }

    private static final dev.modelc.runtime.DType F32 = dev.modelc.runtime.DType.F32, F64 = dev.modelc.runtime.DType.F64,
            I32 = dev.modelc.runtime.DType.I32;

    /** x: f32[B, 784], y: i32[B]; returns sum(x) and the batch size. */
    private static Graph mlpInputs() {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B, c(784)));
        int y = g.input(Role.INPUT, "y", TensorType.of(DType.I32, B));
        int s = g.reduce(ReduceFn.SUM, x, List.of(0, 1));
        int n = g.reduce(ReduceFn.SUM, g.binary(BinaryFn.MUL, y, y), List.of(0));
        return g.build("e", List.of(new Graph.Result("s", s), new Graph.Result("n", n)));
    }

    private static String failure(Graph g, Map<String, Tensor> in) {
        return assertThrows(InterpreterException.class, () -> Interpreter.run(g, in)).getMessage();
    }

    @Test
    void missingInput() {
        assertEquals("missing input 'y' (declared i32[B])", failure(mlpInputs(), Map.of("x", zeros(F32, 8, 784))));
        var g = new GraphBuilder();
        int w = g.input(Role.PARAM, "w", TensorType.of(DType.F64, c(3)));
        assertEquals("missing param 'w' (declared f64[3])", failure(g.build("e", List.of(new Graph.Result("w", w))), Map.of()));
    }

    @Test
    void wrongShapeRankAndElementType() {
        Tensor y = zeros(I32, 8);
        assertEquals("input 'x' is declared f32[B, 784] but got f32[8, 786]: axis 1 should be 784",
                failure(mlpInputs(), Map.of("x", zeros(F32, 8, 786), "y", y)));
        assertEquals("input 'x' is declared f32[B, 784] but got f32[784]: rank should be 2",
                failure(mlpInputs(), Map.of("x", zeros(F32, 784), "y", y)));
        assertEquals("input 'x' is declared f32[B, 784] but got f64[8, 784]: element type should be f32",
                failure(mlpInputs(), Map.of("x", zeros(F64, 8, 784), "y", y)));
    }

    @Test
    void inconsistentDimensionVariable() {
        assertEquals("input 'y' is declared i32[B] but got i32[4]: B is 8 from 'x' but 4 from 'y'",
                failure(mlpInputs(), Map.of("x", zeros(F32, 8, 784), "y", zeros(I32, 4))));
    }

    @Test
    void compoundDimensionsAreCheckedAfterBinding() {
        var g = new GraphBuilder();
        int z = g.input(Role.INPUT, "z", TensorType.of(DType.F32, B.times(c(2)), c(3)));
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B));
        int s = g.binary(BinaryFn.ADD, g.reduce(ReduceFn.SUM, z, List.of(0, 1)), g.reduce(ReduceFn.SUM, x, List.of(0)));
        Graph graph = g.build("e", List.of(new Graph.Result("s", s)));
        assertEquals("input 'z' is declared f32[2*B, 3] but got f32[7, 3]: axis 0 should be 2*B = 8 (B = 4)",
                failure(graph, Map.of("z", zeros(F32, 7, 3), "x", zeros(F32, 4))));
        assertArrayEquals(new float[] {0}, Interpreter.run(graph, Map.of("z", zeros(F32, 8, 3), "x", zeros(F32, 4))).get("s").toFloatArray());
        assertTrue(failure(graph, Map.of("z", zeros(F32, 8, 3), "x", zeros(F32, 4, 1))).contains("rank should be 1"));
    }

    @Test
    void aVariableSeenOnlyInALinearCompoundDimensionIsSolvedFor() {
        var g = new GraphBuilder();
        g.input(Role.INPUT, "x", TensorType.of(DType.F32, N.plus(c(1))));
        int n = g.emit(new DimSize(N), List.of(), TensorType.scalar(DType.I64));
        // the input is not needed by the result, but it binds N
        var graph = g.build("e", List.of(new Graph.Result("n", n)));
        assertEquals("dimension variable N is not bound by any input (entry e, %1 = dim_size[of=N] : i64[])", failure(graph, Map.of()));
        var g2 = new GraphBuilder();
        int x = g2.input(Role.INPUT, "x", TensorType.of(DType.F32, N.plus(c(1))));
        int n2 = g2.emit(new DimSize(N), List.of(), TensorType.scalar(DType.I64));
        int sum = g2.reduce(ReduceFn.SUM, x, List.of(0));
        var out = Interpreter.run(g2.build("e", List.of(new Graph.Result("n", n2), new Graph.Result("s", sum))), Map.of("x", zeros(F32, 5)));
        assertArrayEquals(new long[] {4}, out.get("n").toLongArray());
        var g3 = new GraphBuilder();
        int y = g3.input(Role.INPUT, "y", TensorType.of(DType.F32, N.times(c(2))));
        var graph3 = g3.build("e", List.of(new Graph.Result("y", y)));
        assertEquals("input 'y' is declared f32[2*N] but got f32[6]: cannot tell N from axis 0 (2*N) alone; no input has it as a plain dimension",
                failure(graph3, Map.of("y", zeros(F32, 6))));
    }

    @Test
    void inputsTheResultsDoNotNeedMayBeMissingAndUnknownNamesAreIgnored() {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B));
        g.input(Role.INPUT, "y", TensorType.of(DType.I32, B));
        int r = g.unary(dev.modelc.graph.Op.UnaryFn.NEG, x);
        var out = Interpreter.run(g.build("e", List.of(new Graph.Result("r", r))), Map.of("x", f32(1, 2), "unrelated", f64(3)));
        assertArrayEquals(new float[] {-1, -2}, out.get("r").toFloatArray());
    }

    @Test
    void halfPrecisionIsRejectedClearly() {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F16, c(2)));
        String m = failure(g.build("e", List.of(new Graph.Result("x", x))), Map.of());
        assertTrue(m.startsWith("the interpreter does not support f16"), m);
    }
}
