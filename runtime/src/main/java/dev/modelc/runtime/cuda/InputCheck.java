package dev.modelc.runtime.cuda;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;

/**
 * The checks a tensor passes before it is copied to the device: a kernel reads exactly its
 * buffer's bytes, so a wrong dtype or shape must be caught here, in words that name the input,
 * rather than show up as garbage or a fault on the device.
 */
final class InputCheck {
    private InputCheck() {}

    /** {@code t} is a value for the input {@code name} of this dtype and shape. */
    static void whole(String name, Tensor t, DType dtype, long[] shape) {
        if (t == null) throw new IllegalArgumentException("missing input " + name);
        if (t.dtype() != dtype) throw new IllegalArgumentException("input " + name + " is " + t.dtype() + ", not " + dtype);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("input " + name + " has shape " + Tensor.formatShape(t.shape()) + ", not " + Tensor.formatShape(shape));
        }
    }

    /** The rows {@code rows} of {@code source} (along axis 0) make a value for the input {@code name} of this dtype and shape. */
    static void rows(String name, Tensor source, long[] rows, DType dtype, long[] shape) {
        if (source == null) throw new IllegalArgumentException("missing input " + name);
        if (source.dtype() != dtype) throw new IllegalArgumentException("input " + name + " is " + source.dtype() + ", not " + dtype);
        if (source.rank() == 0) throw new IllegalArgumentException("input " + name + " has no rows to gather");
        long[] gathered = source.shape();
        gathered[0] = rows.length;
        if (!Arrays.equals(gathered, shape)) {
            throw new IllegalArgumentException("input " + name + ": " + rows.length + " rows of " + Tensor.formatShape(source.shape())
                    + " make " + Tensor.formatShape(gathered) + ", not " + Tensor.formatShape(shape));
        }
        long count = source.dim(0);
        for (long r : rows) {
            if (r < 0 || r >= count) throw new IndexOutOfBoundsException("input " + name + ": row " + r + " is outside 0.." + (count - 1));
        }
    }
}
