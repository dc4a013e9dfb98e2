package dev.modelc.codegen.llvm;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * f32 exp, sigmoid and softplus on vectors use a vectorised exp rather than libm per lane: over a
 * sweep of values (every float's neighbourhood of interest, the edges, NaN and infinities) they
 * give the f32 that Java computes (Math.exp in double, rounded once) bit for bit.
 */
class VectorExpTest {
    private static final int N = 200_000;

    private static float[] sweep() {
        var r = new Random(5);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float) (r.nextDouble() * 240 - 130); // past both f32 edges
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.72283f, 88.72284f, -103.97208f, -87.33655f,
                1e-30f, -1e-30f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 0.5f, 1f, -1f, 20f, -20f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = 0; i < 1000; i++) x[100 + i] = (float) (r.nextGaussian() * 3); // softmax-sized arguments
        return x;
    }

    private static float[] run(UnaryFn fn, float[] x) {
        var p = program(List.of(input(0, "x", DType.F32, n(N)), temp(1, "y", DType.F32, n(N))),
                vectorThenTail(1, idx(N), 8, (i, l) -> unary(fn, loadLanes(0, i, DType.F32, l))));
        return LlvmCompiler.compile(p).run(Map.of("x", Tensor.of(x, N)), Map.of()).get("y").toFloatArray();
    }

    @Test
    void expMatchesJavaBitForBit() {
        float[] x = sweep(), y = run(UnaryFn.EXP, x);
        for (int i = 0; i < N; i++) assertSameFloat((float) Math.exp(x[i]), y[i], "exp(" + x[i] + ")");
    }

    @Test
    void sigmoidAndSoftplusMatchTheirElementMathDefinitions() {
        float[] x = sweep(), s = run(UnaryFn.SIGMOID, x), p = run(UnaryFn.SOFTPLUS, x);
        for (int i = 0; i < N; i++) {
            assertSameFloat((float) dev.modelc.runtime.jvm.ElementMath.sigmoid(x[i]), s[i], "sigmoid(" + x[i] + ")");
            // softplus still calls libm's log1p, which may differ from Math.log1p by an ulp of double
            float expected = (float) dev.modelc.runtime.jvm.ElementMath.softplus(x[i]);
            if (Float.isNaN(expected)) assertTrue(Float.isNaN(p[i]), "softplus(" + x[i] + ")");
            else assertTrue(expected == p[i] || Math.abs(expected - p[i]) <= Math.ulp(expected), "softplus(" + x[i] + "): " + expected + " vs " + p[i]);
        }
    }

    private static void assertSameFloat(float expected, float actual, String what) {
        if (Float.isNaN(expected) && Float.isNaN(actual)) return;
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": expected " + expected + " but was " + actual);
    }
}
