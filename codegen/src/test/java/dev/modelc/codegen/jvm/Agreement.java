package dev.modelc.codegen.jvm;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import java.util.Map;

/**
 * The backend's oracle: a compiled program must give the reference evaluator's results bit for
 * bit. NaNs count as equal whatever their sign and payload, which IEEE leaves open.
 */
final class Agreement {
    private Agreement() {}

    static Map<String, Tensor> assertAgrees(LoopProgram p, Map<String, Tensor> inputs, Map<String, Long> dims) {
        var expected = LoopEvaluator.run(p, inputs, dims);
        var actual = JvmCompiler.compile(p).run(inputs, dims);
        assertSame(expected, actual);
        return actual;
    }

    static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> assertSame(name, e, actual.get(name)));
    }

    static void assertSame(String name, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        int n = (int) expected.elementCount();
        for (int i = 0; i < n; i++) {
            String e = element(expected, i), a = element(actual, i);
            if (!e.equals(a)) fail(name + "[" + i + "]: expected " + e + " but was " + a);
        }
    }

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

    static Tensor tensorOf(Object values) {
        return switch (values) {
            case float[] f -> Tensor.of(f, f.length);
            case double[] d -> Tensor.of(d, d.length);
            case int[] v -> Tensor.of(v, v.length);
            case long[] v -> Tensor.of(v, v.length);
            case boolean[] z -> Tensor.of(z, z.length);
            default -> throw new IllegalArgumentException("not an array: " + values);
        };
    }
}
