package dev.modelc.api.golden;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static Comparison f32(float[] actual, float[] expected, long... shape) {
        return Comparison.of("logits", Tensor.of(actual, shape), Tensor.of(expected, shape), Tolerance.F32);
    }

    @Test
    void withinToleranceIsAPass() {
        var c = f32(new float[] {1.00005f, 0, 1e-6f}, new float[] {1, 0, 0}, 3);
        assertTrue(c.passed(), c.message());
        assertEquals("", c.message());
    }

    @Test
    void nanMatchesNanAndZerosMatchWhateverTheirSign() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        assertTrue(f32(new float[] {nan, -0f, inf, -inf}, new float[] {nan, 0f, inf, -inf}, 4).passed());
        assertFalse(f32(new float[] {nan}, new float[] {1}, 1).passed());
        assertFalse(f32(new float[] {1}, new float[] {nan}, 1).passed());
        assertFalse(f32(new float[] {inf}, new float[] {3e38f}, 1).passed());
        assertFalse(f32(new float[] {inf}, new float[] {-inf}, 1).passed());
    }

    @Test
    void failureNamesTheWorstElementAndTheCount() {
        var c = f32(new float[] {0, 0.51f, 1, 2.0005f}, new float[] {0, 0.49f, 1, 2}, 2, 2);
        assertFalse(c.passed());
        assertEquals(2, c.mismatches());
        assertEquals("logits[0, 1]: 0.51 vs expected 0.49 (2 of 4 elements differ; rtol=1e-4 atol=1e-5)", c.message());
    }

    @Test
    void scalarsIntegersAndF64() {
        var scalar = Comparison.of("loss", Tensor.scalar(0.5f), Tensor.scalar(0.25f), Tolerance.F32);
        assertEquals("loss: 0.5 vs expected 0.25 (1 of 1 element differs; rtol=1e-4 atol=1e-5)", scalar.message());
        var ints = Comparison.of("pred", Tensor.of(new int[] {1, 2, 3}, 3), Tensor.of(new int[] {1, 7, 3}, 3), Tolerance.F32);
        assertEquals("pred[1]: 2 vs expected 7 (1 of 3 elements differ)", ints.message());
        var f64 = Comparison.of("y", Tensor.of(new double[] {1 + 1e-8}, 1), Tensor.of(new double[] {1}, 1), Tolerance.F64);
        assertEquals("y[0]: 1.00000001 vs expected 1.0 (1 of 1 element differs; rtol=1e-9 atol=1e-12)", f64.message());
        assertTrue(Comparison.of("b", Tensor.of(new boolean[] {true}, 1), Tensor.of(new boolean[] {true}, 1), Tolerance.F32).passed());
    }

    @Test
    void dtypeAndShapeMustMatchExactly() {
        var dtype = Comparison.of("y", Tensor.of(new double[] {1}, 1), Tensor.of(new float[] {1}, 1), Tolerance.F32);
        assertEquals("y: float64 vs expected float32", dtype.message());
        var shape = Comparison.of("y", Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {1, 2}, 2), Tolerance.F32);
        assertEquals("y: shape (1, 2) vs expected (2,)", shape.message());
    }

    @Test
    void tolerancesPrintShort() {
        assertEquals("rtol=1e-4 atol=3e-4", new Tolerance(1e-4, 3e-4).toString());
        assertEquals("rtol=0.5 atol=0", new Tolerance(0.5, 0).toString());
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0));
    }
}
