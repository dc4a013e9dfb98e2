package dev.modelc.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Constant attributes survive the text form bit for bit, the sign of a zero included. */
class ConstantTextTest {
    @Test
    void signedZerosAndSpecialValuesRoundTrip() {
        for (double v : new double[] {0.0, -0.0, 1, -1, 0.1, (float) 0.1, 1e300, -1e-300, 1e15, 123456789012345.0,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE}) {
            var g = GraphParser.parse("entry e {\n  %0 = constant[value=" + OpText.number(v, dev.modelc.check.DType.F64) + "] : f64[]\n  return y = %0\n}");
            var back = ((Op.Constant) g.node(0).op()).value();
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(back), OpText.number(v, dev.modelc.check.DType.F64));
        }
        assertEquals("-0", OpText.number(-0.0, dev.modelc.check.DType.F64));
        assertEquals("0", OpText.number(0.0, dev.modelc.check.DType.F64));
        assertEquals("0.1", OpText.number((float) 0.1, dev.modelc.check.DType.F32));
    }
}
