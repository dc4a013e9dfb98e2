package dev.modelc.loops;

import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.interp.Interpreter;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks that a graph fused and lowered to Loop IR computes what the reference interpreter
 * computes: evaluated by {@link LoopEvaluator} on the same inputs, every result equal within a
 * relative tolerance (summation orders and f32 fused multiply-adds in matmul tiles may differ).
 */
public final class LoopAgreement {
    private LoopAgreement() {}

    public static void check(Graph g, Map<String, Tensor> inputs, double relTol) { check(g, inputs, relTol, 0); }

    /** Agreement within {@code absTol + relTol * |expected|} per element (NaN equals NaN). */
    public static void check(Graph g, Map<String, Tensor> inputs, double relTol, double absTol) {
        var expected = Interpreter.run(g, inputs);
        var program = LoopLowering.lower(Fusion.fuse(g));
        var actual = LoopEvaluator.run(program, inputs, Interpreter.bindInputs(g, inputs));
        for (var e : expected.entrySet()) {
            var a = actual.get(e.getKey());
            if (a == null) fail(g.name() + ": Loop IR has no result " + e.getKey() + "\n" + LoopPrinter.print(program));
            if (e.getValue().dtype() != a.dtype() || !Arrays.equals(e.getValue().shape(), a.shape())) {
                fail(e.getKey() + ": " + a.dtype() + Arrays.toString(a.shape()) + " in Loop IR, "
                        + e.getValue().dtype() + Arrays.toString(e.getValue().shape()) + " in the interpreter");
            }
            double[] x = doubles(e.getValue()), y = doubles(a);
            for (int i = 0; i < x.length; i++) {
                boolean same = Double.compare(x[i], y[i]) == 0 || Math.abs(x[i] - y[i]) <= absTol + relTol * Math.abs(x[i])
                        || (Math.abs(x[i]) < 1e-30 && Math.abs(y[i]) < 1e-30);
                if (!same) {
                    fail(g.name() + ": result " + e.getKey() + "[" + i + "] is " + y[i] + " in Loop IR, " + x[i]
                            + " in the interpreter\n" + LoopPrinter.print(program));
                }
            }
        }
    }

    private static void fail(String message) { throw new AssertionError(message); }

    /** Every element of {@code t} as a double (bools as 0 and 1), in C order. */
    public static double[] doubles(Tensor t) {
        if (t.dtype() == DType.F64) return t.toDoubleArray();
        if (t.dtype() == DType.F32) {
            var f = t.toFloatArray();
            var d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            return d;
        }
        if (t.dtype() == DType.I32) return Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
        if (t.dtype() == DType.I64) return Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
        var b = t.toBooleanArray();
        var d = new double[b.length];
        for (int i = 0; i < b.length; i++) d[i] = b[i] ? 1 : 0;
        return d;
    }
}
