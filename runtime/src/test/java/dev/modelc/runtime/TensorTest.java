package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void factoriesKeepValuesShapeAndAlignment() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertEquals(6, t.elementCount());
        assertEquals(24, t.byteSize());
        assertEquals(6f, t.getFloat(1, 2));
        assertEquals(0, t.segment().address() % 64);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
        assertEquals(7L, Tensor.of(new long[] {7}, 1).getLong(0));
        assertEquals(-3, Tensor.scalar(-3).getInt());
        assertEquals(2.5, Tensor.scalar(2.5).getDouble());
        assertTrue(Tensor.scalar(true).getBoolean());
        assertArrayEquals(new boolean[] {true, false}, Tensor.of(new boolean[] {true, false}, 2).toBooleanArray());
        assertEquals(0, Tensor.scalar(1f).rank());
    }

    @Test
    void isImmutable() {
        float[] values = {1, 2};
        long[] shape = {2};
        Tensor t = Tensor.of(values, shape);
        values[0] = 9;
        shape[0] = 5;
        t.shape()[0] = 7;
        assertEquals(1f, t.getFloat(0));
        assertArrayEquals(new long[] {2}, t.shape());
        assertTrue(t.segment().isReadOnly());
    }

    @Test
    void equalityIsByDtypeShapeAndBytes() {
        assertEquals(Tensor.of(new int[] {1, 2}, 2), Tensor.of(new int[] {1, 2}, 2));
        assertEquals(Tensor.of(new int[] {1, 2}, 2).hashCode(), Tensor.of(new int[] {1, 2}, 2).hashCode());
        assertNotEquals(Tensor.of(new int[] {1, 2}, 2), Tensor.of(new int[] {1, 2}, 1, 2));
        assertNotEquals(Tensor.of(new int[] {1, 2}, 2), Tensor.of(new long[] {1, 2}, 2));
        assertEquals(Tensor.zeros(DType.F64, 0, 3), Tensor.of(new double[0], 0, 3));
    }

    @Test
    void toStringShowsDtypeShapeAndFirstValues() {
        assertEquals("Tensor(float32, (2, 3), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])",
                Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toString());
        assertEquals("Tensor(int64, (8,), [0, 0, 0, 0, 0, 0, ... (8 elements)])", Tensor.zeros(DType.I64, 8).toString());
        assertEquals("Tensor(bool, (), [true])", Tensor.scalar(true).toString());
    }

    @Test
    void rejectsBadShapesAndIndices() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertEquals("5 values given but shape (2, 3) has 6 elements", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 1L << 62, 1L << 62));
        assertThrows(IllegalArgumentException.class, () -> Tensor.byteSizeOf(DType.F64, 1L << 62));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[2]));
        Tensor t = Tensor.zeros(DType.F32, 2, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.getFloat(0));
        assertThrows(IllegalStateException.class, () -> t.getInt(0, 0));
    }

    @Test
    void fromBytesSwapsBigEndianAndChecksBools() {
        MemorySegment be = MemorySegment.ofArray(new byte[] {0, 0, 0, 1, 0, 0, 1, 0});
        assertArrayEquals(new int[] {1, 256}, Tensor.fromBytes(DType.I32, new long[] {2}, be, ByteOrder.BIG_ENDIAN).toIntArray());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.fromBytes(DType.BOOL, new long[] {1}, MemorySegment.ofArray(new byte[] {2}), ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void halfPrecisionReadsAsFloat() {
        // 0x3C00 is 1.0 in float16; 0x3F80 is 1.0 in bfloat16.
        MemorySegment f16 = MemorySegment.ofArray(new byte[] {0x00, 0x3C});
        MemorySegment bf16 = MemorySegment.ofArray(new byte[] {(byte) 0x80, 0x3F});
        assertEquals(1f, Tensor.fromBytes(DType.F16, new long[0], f16, ByteOrder.LITTLE_ENDIAN).getFloat());
        assertEquals(1f, Tensor.fromBytes(DType.BF16, new long[0], bf16, ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void reshapeSharesDataAndChecksCounts() {
        Tensor t = Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, 1, 2);
        assertArrayEquals(new long[] {3, 1, 2}, r.shape());
        assertEquals(6, r.getInt(2, 0, 1));
        assertEquals(t.segment().address(), r.segment().address());
        assertEquals(t, r.reshape(2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4));
        assertEquals("cannot reshape (2, 3) (6 elements) to (4,) (4 elements)", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void gatherRowsCopiesTheRowsInTheGivenOrder() {
        var t = Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertEquals(Tensor.of(new int[] {5, 6, 1, 2, 5, 6}, 3, 2), Tensor.gatherRows(t, new long[] {2, 0, 2}));
        assertEquals(Tensor.zeros(DType.I32, 0, 2), Tensor.gatherRows(t, new long[0]));
        var flags = Tensor.of(new boolean[] {true, false, true}, 3);
        assertEquals(Tensor.of(new boolean[] {false, true}, 2), Tensor.gatherRows(flags, new long[] {1, 0}));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> Tensor.gatherRows(t, new long[] {3}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Tensor.gatherRows(Tensor.scalar(1f), new long[] {0}));
    }
}
