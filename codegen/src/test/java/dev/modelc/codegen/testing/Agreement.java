package dev.modelc.codegen.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import java.util.Map;

/**
 * The backends' oracle: a compiled program must give the reference evaluator's results bit for
 * bit. NaNs count as equal whatever their sign and payload, which IEEE leaves open.
 *
 * <p>One exception ({@link TestBackend#ulps}): where a backend computes the library functions
 * (exp, log, log1p, sin, cos, tanh, erf, sigmoid, softplus, gelu, float pow; see {@link
 * LibraryCalls}) with another math library than Java's, as the LLVM backend does with glibc's
 * libm, a program that calls one may give float results up to 2 ulps (of the expected value's
 * type) from the evaluator's, on the same side of zero. Infinities and NaNs must still match
 * exactly, and integer and bool results stay exact.
 */
public final class Agreement {
    private Agreement() {}

    /** Runs {@code p} on the evaluator and on {@code backend}, asserts they agree, and returns the backend's results. */
    public static Map<String, Tensor> assertAgrees(TestBackend backend, LoopProgram p, Map<String, Tensor> inputs, Map<String, Long> dims) {
        var expected = LoopEvaluator.run(p, inputs, dims);
        var actual = backend.compile(p).run(inputs, dims);
        assertSame(expected, actual, backend.ulps(p));
        return actual;
    }

    /**
     * Runs {@code reference} on the evaluator and {@code p}, another lowering of the same graph
     * (the GPU's, whose sums run in another order and partly in f32), on {@code backend}, and
     * asserts every float within {@code atol + rtol * |expected|} (the golden cases' tolerance
     * rule), everything else equal.
     */
    public static Map<String, Tensor> assertClose(TestBackend backend, LoopProgram reference, LoopProgram p, Map<String, Tensor> inputs,
                                                  Map<String, Long> dims, double rtol, double atol) {
        var expected = LoopEvaluator.run(reference, inputs, dims);
        var actual = backend.compile(p).run(inputs, dims);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> {
            var a = actual.get(name);
            assertEquals(e.dtype(), a.dtype(), name);
            assertArrayEquals(e.shape(), a.shape(), name);
            for (int i = 0; i < (int) e.elementCount(); i++) {
                long[] at = index(e.shape(), i);
                boolean ok = switch (e.dtype()) {
                    case F32, F64 -> {
                        double x = e.getDouble(at), y = a.getDouble(at);
                        yield Double.compare(x, y) == 0 || Math.abs(x - y) <= atol + rtol * Math.abs(x);
                    }
                    default -> element(e, i).equals(element(a, i));
                };
                if (!ok) fail(name + "[" + i + "]: expected " + element(e, i) + " but was " + element(a, i) + " (rtol " + rtol + ", atol " + atol + ")");
            }
        });
        return actual;
    }

    /** Bit for bit. */
    public static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) { assertSame(expected, actual, 0); }

    /** Bit for bit, except that finite floats may be {@code ulps} units in the last place apart. */
    public static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual, int ulps) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> assertSame(name, e, actual.get(name), ulps));
    }

    private static void assertSame(String name, Tensor expected, Tensor actual, int ulps) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        int n = (int) expected.elementCount();
        for (int i = 0; i < n; i++) {
            String e = element(expected, i), a = element(actual, i);
            if (!e.equals(a) && !closeFloats(expected, actual, i, ulps)) {
                fail(name + "[" + i + "]: expected " + e + " but was " + a + (ulps == 0 ? "" : " (more than " + ulps + " ulps apart)"));
            }
        }
    }

    /** Finite floats within {@code ulps} units in the last place of the expected value (in its own type). */
    private static boolean closeFloats(Tensor expected, Tensor actual, int i, int ulps) {
        if (ulps == 0) return false;
        long[] at = index(expected.shape(), i);
        return switch (expected.dtype()) {
            case F32 -> {
                float e = expected.getFloat(at), a = actual.getFloat(at);
                yield Float.isFinite(e) && Float.isFinite(a) && sameSign(e, a) && Math.abs((double) a - e) <= ulps * (double) Math.ulp(e);
            }
            case F64 -> {
                double e = expected.getDouble(at), a = actual.getDouble(at);
                yield Double.isFinite(e) && Double.isFinite(a) && sameSign(e, a) && Math.abs(a - e) <= ulps * Math.ulp(e);
            }
            default -> false;
        };
    }

    /** Signs by the sign bit, so that a -0.0 for a 0.0 is still a difference. */
    private static boolean sameSign(double e, double a) { return Math.copySign(1.0, e) == Math.copySign(1.0, a); }

    /** An element as exact text: floats by their bits (all NaNs alike), so -0.0 and 0.0 differ. */
    private static String element(Tensor t, int i) {
        long[] at = index(t.shape(), i);
        return switch (t.dtype()) {
            case F32 -> {
                float f = t.getFloat(at);
                yield Float.isNaN(f) ? "NaN" : f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
            }
            case F64 -> {
                double d = t.getDouble(at);
                yield Double.isNaN(d) ? "NaN" : d + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
            }
            case I32, I64 -> Long.toString(t.getLong(at));
            case BOOL -> Boolean.toString(t.getBoolean(at));
            default -> throw new IllegalArgumentException(t.dtype().toString());
        };
    }

    private static long[] index(long[] shape, long flat) {
        long[] at = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }
}
