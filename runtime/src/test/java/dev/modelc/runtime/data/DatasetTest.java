package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** Five samples: features [5, 2] (row i is {i, 10 + i}), labels [5] (i). */
    static Dataset five() {
        return new Dataset(Tensor.of(new float[] {0, 10, 1, 11, 2, 12, 3, 13, 4, 14}, 5, 2), Tensor.of(new int[] {0, 1, 2, 3, 4}, 5));
    }

    @Test
    void slicesAndGathersRows() {
        Dataset d = five();
        assertEquals(5, d.size());
        Dataset middle = d.slice(1, 3);
        assertEquals(Tensor.of(new float[] {1, 11, 2, 12}, 2, 2), middle.features());
        assertEquals(Tensor.of(new int[] {1, 2}, 2), middle.labels());
        Dataset picked = d.gather(new long[] {4, 0, 4});
        assertEquals(Tensor.of(new float[] {4, 14, 0, 10, 4, 14}, 3, 2), picked.features());
        assertEquals(Tensor.of(new int[] {4, 0, 4}, 3), picked.labels());
        assertEquals(0, d.slice(5, 5).size());
        assertEquals(0, d.gather(new long[0]).size());
    }

    @Test
    void checksItsParts() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(DType.F32, 3, 2), Tensor.zeros(DType.I32, 2)));
        assertEquals("features hold 3 samples but labels hold 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.scalar(1f), Tensor.zeros(DType.I32, 1)));
        assertThrows(IndexOutOfBoundsException.class, () -> five().slice(2, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> five().gather(new long[] {5}));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSpec("x", DType.F16, 2));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSpec("x", DType.F32, -2));
    }
}
