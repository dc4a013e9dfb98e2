package dev.modelc.runtime.io;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Sample tensors of every dtype and awkward shapes, shared by the format tests. */
final class TestTensors {
    private TestTensors() {}

    static final long[][] SHAPES = {{}, {0}, {1}, {5}, {2, 3}, {3, 0, 2}, {2, 1, 2, 2}};

    static List<Tensor> all(long seed) {
        Random random = new Random(seed);
        List<Tensor> out = new ArrayList<>();
        for (DType dtype : DType.values()) {
            for (long[] shape : SHAPES) {
                out.add(random(dtype, shape, random));
            }
        }
        return out;
    }

    static Tensor random(DType dtype, long[] shape, Random random) {
        int n = (int) Tensor.elementCountOf(shape);
        byte[] bytes = new byte[n * dtype.byteSize()];
        random.nextBytes(bytes);
        if (dtype == DType.BOOL) {
            for (int i = 0; i < n; i++) {
                bytes[i] &= 1;
            }
        }
        return Tensor.fromBytes(dtype, shape, MemorySegment.ofArray(bytes), ByteOrder.LITTLE_ENDIAN);
    }
}
