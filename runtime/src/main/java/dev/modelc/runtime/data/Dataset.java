package dev.modelc.runtime.data;

import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Samples for training or evaluation: {@code features} of shape {@code [N, ...]} for a model's
 * first input and {@code labels} of shape {@code [N, ...]} for its second, row {@code i} of
 * each belonging to sample {@code i}. A batch is a Dataset too.
 */
public record Dataset(Tensor features, Tensor labels) {
    public Dataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.rank() == 0 || labels.rank() == 0) {
            throw new IllegalArgumentException("features and labels need a first axis that counts samples, but got "
                    + Tensor.formatShape(features.shape()) + " and " + Tensor.formatShape(labels.shape()));
        }
        if (features.dim(0) != labels.dim(0)) {
            throw new IllegalArgumentException("features hold " + features.dim(0) + " samples but labels hold "
                    + labels.dim(0));
        }
    }

    /** The number of samples, N. */
    public long size() {
        return features.dim(0);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Dataset slice(long from, long to) {
        Objects.checkFromToIndex(from, to, size());
        return new Dataset(rows(features, from, to), rows(labels, from, to));
    }

    /** The samples at {@code indices}, in that order (repeats allowed), copied. */
    public Dataset gather(long[] indices) {
        for (long i : indices) {
            Objects.checkIndex(i, size());
        }
        return new Dataset(rows(features, indices), rows(labels, indices));
    }

    private static Tensor rows(Tensor t, long from, long to) {
        long rowBytes = rowBytes(t);
        MemorySegment block = t.segment().asSlice(from * rowBytes, (to - from) * rowBytes);
        return Tensor.fromBytes(t.dtype(), withRows(t, to - from), block, ByteOrder.LITTLE_ENDIAN);
    }

    private static Tensor rows(Tensor t, long[] indices) { return Tensor.gatherRows(t, indices); }

    private static long rowBytes(Tensor t) {
        long[] shape = t.shape();
        return Tensor.byteSizeOf(t.dtype(), Arrays.copyOfRange(shape, 1, shape.length));
    }

    private static long[] withRows(Tensor t, long rows) {
        long[] shape = t.shape();
        shape[0] = rows;
        return shape;
    }
}
