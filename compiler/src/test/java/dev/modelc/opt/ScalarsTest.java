package dev.modelc.opt;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.ReduceFn;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The edges of what folding may decide: where a reduction or a power stops being order-free or exact. */
class ScalarsTest {
    @Test
    void sumsFoldWhileEveryPartialSumIsExactInTheElementType() {
        // 3 has 2 significant bits: 2^22 copies need 2 + 23 bits > 24 in f32, 2^21 need 24
        assertEquals(OptionalDouble.of(3.0 * (1 << 21)), Scalars.reduce(ReduceFn.SUM, 3, 1 << 21, DType.F32));
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.SUM, 3, 1 << 22, DType.F32));
        assertTrue(Scalars.reduce(ReduceFn.SUM, 3, 1 << 22, DType.F64).isPresent());
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.SUM, 0.1, 3, DType.F64), "0.1 has 52 significant bits, 3 copies need 54: 0.1+0.1+0.1 rounds");
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.SUM, 3e38, 2, DType.F32), "overflows f32");
        assertEquals(OptionalDouble.of(Double.POSITIVE_INFINITY), Scalars.reduce(ReduceFn.SUM, Double.POSITIVE_INFINITY, 5, DType.F32));
        assertEquals(OptionalDouble.of(0), Scalars.reduce(ReduceFn.SUM, 7, 0, DType.F32), "an empty sum");
        assertEquals(OptionalDouble.of(0), Scalars.reduce(ReduceFn.SUM, 7, 0, DType.I32));
    }

    @Test
    void productsFoldOnlyWhenExact() {
        assertEquals(OptionalDouble.of(0.125), Scalars.reduce(ReduceFn.PROD, 0.5, 3, DType.F32));
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.PROD, 0.1, 2, DType.F64));
        assertEquals(OptionalDouble.of(-0.0), Scalars.reduce(ReduceFn.PROD, -0.0, 3, DType.F32), "sign by parity");
        assertEquals(OptionalDouble.of(0.0), Scalars.reduce(ReduceFn.PROD, -0.0, 4, DType.F32));
        assertEquals(OptionalDouble.of(1), Scalars.reduce(ReduceFn.PROD, -1, 1000, DType.F64));
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.PROD, 3, 200, DType.F64));
        assertEquals(OptionalDouble.of(0), Scalars.reduce(ReduceFn.PROD, 2, 32, DType.I32), "2^32 wraps to 0");
        assertEquals(OptionalDouble.empty(), Scalars.reduce(ReduceFn.MAX, 2, 0, DType.F32), "the max of nothing");
    }

    @Test
    void powFoldsWhereJavaFixesTheResult() {
        assertEquals(OptionalDouble.of(1), Scalars.binary(BinaryFn.POW, Double.NEGATIVE_INFINITY, 0, DType.F64));
        assertEquals(OptionalDouble.of(-27), Scalars.binary(BinaryFn.POW, -3, 3, DType.F64));
        assertEquals(OptionalDouble.of(0.0625), Scalars.binary(BinaryFn.POW, -2, -4, DType.F64));
        assertEquals(OptionalDouble.empty(), Scalars.binary(BinaryFn.POW, 1.5, 2, DType.F64), "a non-integer base: only 1 ulp is promised");
        assertEquals(OptionalDouble.empty(), Scalars.binary(BinaryFn.POW, 0, -1, DType.F64));
        assertEquals(OptionalDouble.of((float) Math.pow(3, 33)), Scalars.binary(BinaryFn.POW, 3, 33, DType.F32),
                "3^33 is exactly a double, so Math.pow returns it; f32 then rounds once");
    }

    @Test
    void nanAndHalfPrecisionAreNotFolded() {
        assertEquals(OptionalDouble.empty(), Scalars.value(Double.NaN, DType.F32));
        assertEquals(OptionalDouble.empty(), Scalars.value(1, DType.F16));
        assertEquals(OptionalDouble.empty(), Scalars.value(0.5, DType.I32));
        assertEquals(OptionalDouble.empty(), Scalars.value(2, DType.BOOL));
        assertEquals(OptionalDouble.of((float) 0.1), Scalars.value(0.1, DType.F32));
    }

    @Test
    void significantBits() {
        assertEquals(1, Scalars.significantBits(1));
        assertEquals(1, Scalars.significantBits(0.5));
        assertEquals(2, Scalars.significantBits(3));
        assertEquals(24, Scalars.significantBits(16777215));
        assertEquals(52, Scalars.significantBits(0.1)); // 0x1.999999999999ap-4 ends in binary 10
        assertEquals(1, Scalars.significantBits(Double.MIN_VALUE));
    }
}
