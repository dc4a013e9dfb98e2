package dev.modelc.runtime.init;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitializersTest {
    private static final InitSpec HE_NORMAL = new InitSpec("he_normal", Map.of());

    private static Tensor create(String kind, Map<String, Object> args, DType dtype, long... shape) {
        return Initializers.create(new InitSpec(kind, args), dtype, shape, 42, "w");
    }

    @Test
    void isDeterministicPerSeedAndName() {
        long[] shape = {64, 32};
        Tensor a = Initializers.create(HE_NORMAL, DType.F32, shape, 7, "w1");
        Initializers.create(HE_NORMAL, DType.F32, shape, 7, "w0"); // another param in between changes nothing
        assertEquals(a, Initializers.create(HE_NORMAL, DType.F32, shape, 7, "w1"));
        assertNotEquals(a, Initializers.create(HE_NORMAL, DType.F32, shape, 7, "w2"));
        assertNotEquals(a, Initializers.create(HE_NORMAL, DType.F32, shape, 8, "w1"));
    }

    @Test
    void drawsAreBoxMullerAtTheElementIndexUnderTheDocumentedKey() {
        double[] values = create("normal", Map.of("mean", 1.0, "std", 2.0), DType.F64, 3, 2).toDoubleArray();
        long key = CounterRandom.mix(42 ^ CounterRandom.hash("w"));
        for (int i = 0; i < values.length; i++) {
            double u1 = 1.0 - CounterRandom.uniformDouble(key, CounterRandom.hash("modelc.init.a"), i);
            double u2 = CounterRandom.uniformDouble(key, CounterRandom.hash("modelc.init.b"), i);
            assertEquals(1.0 + 2.0 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), values[i]);
        }
        // The index is the C-order position, so the shape does not matter when no fans are involved.
        assertArrayEquals(values, create("normal", Map.of("mean", 1.0, "std", 2.0), DType.F64, 6).toDoubleArray());
    }

    @Test
    void float32IsTheFloat64DrawRoundedOnce() {
        double[] wide = Initializers.create(HE_NORMAL, DType.F64, new long[] {50, 20}, 3, "k").toDoubleArray();
        float[] narrow = Initializers.create(HE_NORMAL, DType.F32, new long[] {50, 20}, 3, "k").toFloatArray();
        for (int i = 0; i < wide.length; i++) {
            assertEquals((float) wide[i], narrow[i]);
        }
    }

    @Test
    void heNormalHasTheFormulasMomentsAndShape() {
        float[] v = create("he_normal", Map.of(), DType.F32, 1000, 200).toFloatArray();
        double std = Math.sqrt(2.0 / 1000);
        Moments m = Moments.of(v);
        int n = v.length;
        assertEquals(0.0, m.mean, 5 * std / Math.sqrt(n));
        assertEquals(std, m.std, 5 * std / Math.sqrt(2.0 * n));
        // Normal, not truncated: about 68.3% within one std, 95.4% within two, some beyond two.
        assertEquals(0.6827, fractionWithin(v, std), 0.005);
        assertEquals(0.9545, fractionWithin(v, 2 * std), 0.003);
    }

    @Test
    void glorotUniformHasTheFormulasBoundsAndMoments() {
        float[] v = create("glorot_uniform", Map.of(), DType.F32, 300, 200).toFloatArray();
        double limit = Math.sqrt(6.0 / (300 + 200));
        Moments m = Moments.of(v);
        assertTrue(m.min >= -limit && m.max <= limit, m.min + " .. " + m.max);
        assertTrue(m.min < -0.99 * limit && m.max > 0.99 * limit, "fills the whole interval");
        double std = limit / Math.sqrt(3);
        assertEquals(0.0, m.mean, 5 * std / Math.sqrt(v.length));
        assertEquals(std, m.std, 0.01 * std);
        assertEquals(0.5, fractionWithin(v, limit / 2), 0.005);
    }

    @Test
    void varianceScalingUsesTheModeAndDistribution() {
        // Conv HWIO [3, 3, 1, 32]: fan_out 288, so std = sqrt(3 / 288).
        float[] v = create("variance_scaling", Map.of("scale", 3.0, "mode", "fan_out"), DType.F32, 3, 3, 1, 32).toFloatArray();
        float[] same = create("variance_scaling", Map.of("scale", 3.0, "mode", "fan_out", "distribution", "normal"),
                DType.F32, 3, 3, 1, 32).toFloatArray();
        assertArrayEquals(same, v);
        double[] he = create("he_uniform", Map.of(), DType.F64, 3, 3, 1, 32).toDoubleArray();
        double limit = Math.sqrt(3 * 2.0 / 9);
        assertTrue(Moments.of(he).max <= limit && Moments.of(he).min >= -limit);
        assertEquals(Math.sqrt(3.0 / 288), Moments.of(v).std, 0.15 * Math.sqrt(3.0 / 288)); // only 288 draws
    }

    @Test
    void uniformStaysInLoHiEvenWhenRoundingToFloat32() {
        double[] wide = create("uniform", Map.of("lo", -2.0, "hi", 3.0), DType.F64, 10_000).toDoubleArray();
        assertTrue(Moments.of(wide).min >= -2.0 && Moments.of(wide).max < 3.0);
        // In float32, [1 - 1e-7, 1) holds 0.99999988 (the float nearest lo) and 0.99999994, never 1.
        float[] narrow = create("uniform", Map.of("lo", 1 - 1e-7, "hi", 1.0), DType.F32, 1000).toFloatArray();
        boolean seenLow = false;
        boolean seenHigh = false;
        for (float f : narrow) {
            assertTrue(f == 0.99999988f || f == 0.99999994f, "got " + f);
            seenLow |= f == 0.99999988f;
            seenHigh |= f == 0.99999994f;
        }
        assertTrue(seenLow && seenHigh);
    }

    @Test
    void constantsFillEveryDtypeTheyFitExactly() {
        assertEquals(Tensor.of(new float[] {0, 0, 0}, 3), create("zeros", Map.of(), DType.F32, 3));
        assertEquals(Tensor.of(new double[] {1, 1}, 2, 1), create("ones", Map.of(), DType.F64, 2, 1));
        assertEquals(Tensor.of(new int[] {-3, -3}, 2), create("constant", Map.of("value", -3), DType.I32, 2));
        assertEquals(Tensor.scalar(1L << 40), create("constant", Map.of("value", 0x1p40), DType.I64));
        assertEquals(Tensor.of(new boolean[] {true, true}, 2), create("ones", Map.of(), DType.BOOL, 2));
        assertEquals(Tensor.of(new float[] {0.5f}, 1), create("constant", Map.of("value", 0.5), DType.F32, 1));
        assertEquals(Tensor.of(new double[] {5, 5}, 2), create("normal", Map.of("mean", 5.0, "std", 0.0), DType.F64, 2));
        assertEquals(Tensor.zeros(DType.F32, 0, 5), create("he_normal", Map.of(), DType.F32, 0, 5));
    }

    @Test
    void rejectsWhatCannotBeCreated() {
        assertMessage("constant(value=0.5) cannot fill 'w' of type int32: 0.5 is not a whole number in its range",
                () -> create("constant", Map.of("value", 0.5), DType.I32, 2));
        assertMessage("constant(value=3.0E9) cannot fill 'w' of type int32: 3.0E9 is not a whole number in its range",
                () -> create("constant", Map.of("value", 3e9), DType.I32, 2));
        assertMessage("constant(value=9.223372036854776E18) cannot fill 'w' of type int64: 9.223372036854776E18 is not a "
                + "whole number in its range", () -> create("constant", Map.of("value", 0x1p63), DType.I64, 2));
        assertMessage("constant(value=2.0) cannot fill 'w' of type bool: 2.0 is neither 0 nor 1",
                () -> create("constant", Map.of("value", 2), DType.BOOL, 2));
        assertMessage("he_normal() draws random floats, but 'w' is int32; it needs float32 or float64",
                () -> create("he_normal", Map.of(), DType.I32, 2, 2));
        assertMessage("zeros() cannot initialise 'w': float16 is reserved and the runtime does not initialise it",
                () -> create("zeros", Map.of(), DType.F16, 2));
        assertMessage("shape (-1, 2) has a negative dimension", () -> create("zeros", Map.of(), DType.F32, -1, 2));
        assertMessage("cannot initialise 'w': 4294967296 elements exceed the 2147483639 the runtime initialises at once",
                () -> create("zeros", Map.of(), DType.F32, 1L << 16, 1L << 16));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    private static double fractionWithin(float[] v, double bound) {
        long inside = 0;
        for (float f : v) {
            inside += Math.abs(f) <= bound ? 1 : 0;
        }
        return (double) inside / v.length;
    }

    private record Moments(double mean, double std, double min, double max) {
        static Moments of(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return of(d);
        }

        static Moments of(double[] v) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = sum / v.length;
            double squares = 0;
            for (double x : v) {
                squares += (x - mean) * (x - mean);
            }
            return new Moments(mean, Math.sqrt(squares / v.length), min, max);
        }
    }
}
