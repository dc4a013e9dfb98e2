package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.interp.Value.Bools;
import dev.modelc.interp.Value.Floats;
import dev.modelc.interp.Value.Ints;
import dev.modelc.runtime.CounterRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that make values from nothing (constants, iota, random numbers) or move elements without
 * computing on them (broadcast, reshape, transpose, slice, pad, concat). The movers all say, per
 * result axis, where each position comes from in the operand, and gather through {@link Dims#combine}.
 */
final class ShapeOps {
    private ShapeOps() {}

    static Value fill(DType dtype, int[] dims, double v) {
        int n = Dims.size(dims);
        return switch (dtype.kind) {
            case FLOAT -> {
                double[] out = new double[n];
                Arrays.fill(out, v);
                yield Value.floats(dtype, dims, out);
            }
            case INT -> {
                long[] out = new long[n];
                Arrays.fill(out, dtype == DType.I32 ? (int) v : (long) v); // as convert casts
                yield Value.ints(dtype, dims, out);
            }
            case BOOL -> {
                boolean[] out = new boolean[n];
                Arrays.fill(out, v != 0);
                yield new Bools(dims, out);
            }
        };
    }

    /** An exact integer fill: a dimension's value can exceed what a double holds exactly. */
    static Value fill(DType dtype, int[] dims, long v) {
        if (dtype.isInt()) {
            long[] out = new long[Dims.size(dims)];
            Arrays.fill(out, v);
            return Value.ints(dtype, dims, out);
        }
        return fill(dtype, dims, dtype == DType.F32 ? (float) v : (double) v);
    }

    static Value iota(DType dtype, int[] dims, int axis) {
        int[][] tables = new int[dims.length][];
        for (int a = 0; a < dims.length; a++) tables[a] = Dims.arithmetic(dims[a], 0, a == axis ? 1 : 0, 1);
        int[] positions = Dims.combine(dims, tables);
        return switch (dtype.kind) {
            case INT -> {
                long[] out = new long[positions.length];
                for (int i = 0; i < out.length; i++) out[i] = positions[i];
                yield Value.ints(dtype, dims, out);
            }
            case FLOAT -> {
                double[] out = new double[positions.length];
                for (int i = 0; i < out.length; i++) out[i] = positions[i];
                yield Value.floats(dtype, dims, out);
            }
            case BOOL -> throw new InterpreterException("iota needs a numeric type");
        };
    }

    /** Element i (C order) is CounterRandom's number i under (key, stream). */
    static Value randomUniform(Value key, long stream, DType dtype, int[] dims) {
        if (!(key instanceof Ints k) || k.size() != 1 || k.dtype() != DType.I64) {
            throw new InterpreterException("random_uniform needs an i64 scalar key, got " + key.describe());
        }
        long seed = k.data()[0];
        double[] out = new double[Dims.size(dims)];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case F32 -> CounterRandom.uniformFloat(seed, stream, i);
                case F64 -> CounterRandom.uniformDouble(seed, stream, i);
                default -> throw new InterpreterException("random_uniform gives f32 or f64, not " + dtype);
            };
        }
        return Value.floats(dtype, dims, out);
    }

    // ---- movers ----

    static Value reshape(Value x, int[] dims) {
        if (Dims.size(dims) != x.size()) {
            throw new InterpreterException("reshape of " + x.describe() + " to " + Dims.format(dims) + ": element counts differ");
        }
        return x.withDims(dims);
    }

    /** Operand axis i is result axis {@code axes[i]}; a size-1 operand axis stretches over its result axis. */
    static Value broadcast(Value x, List<Integer> axes, int[] dims) {
        int[] xd = x.dims(), xs = Dims.strides(xd);
        int[][] tables = new int[dims.length][];
        for (int a = 0; a < dims.length; a++) tables[a] = new int[dims[a]]; // new axes: offset 0
        for (int i = 0; i < xd.length; i++) {
            int a = axes.get(i);
            if (xd[i] != 1 && xd[i] != dims[a]) {
                throw new InterpreterException("broadcast of " + x.describe() + " to " + Dims.format(dims)
                        + ": axis " + i + " (" + xd[i] + ") cannot stretch to " + dims[a]);
            }
            tables[a] = Dims.arithmetic(dims[a], 0, xd[i] == 1 ? 0 : 1, xs[i]);
        }
        return x.gather(dims, Dims.combine(dims, tables));
    }

    /** Result axis i is operand axis {@code perm[i]}. */
    static Value transpose(Value x, List<Integer> perm) {
        int[] xd = x.dims(), xs = Dims.strides(xd), dims = new int[xd.length];
        int[][] tables = new int[xd.length][];
        for (int a = 0; a < xd.length; a++) {
            int p = perm.get(a);
            dims[a] = xd[p];
            tables[a] = Dims.arithmetic(dims[a], 0, 1, xs[p]);
        }
        return x.gather(dims, Dims.combine(dims, tables));
    }

    /** Result position k along axis a is operand position {@code start[a] + k*step[a]}, which must exist. */
    static Value slice(Value x, long[] start, List<Long> step, int[] dims) {
        int[] xd = x.dims(), xs = Dims.strides(xd);
        int[][] tables = new int[dims.length][];
        for (int a = 0; a < dims.length; a++) {
            long st = step.get(a), last = start[a] + (dims[a] - 1L) * st;
            if (dims[a] > 0 && (start[a] < 0 || start[a] >= xd[a] || last < 0 || last >= xd[a])) {
                throw new InterpreterException("slice of " + x.describe() + " runs off axis " + a + ": "
                        + dims[a] + " elements from " + start[a] + " in steps of " + st + " need positions "
                        + start[a] + " to " + last + " of " + xd[a]);
            }
            tables[a] = Dims.arithmetic(dims[a], start[a], st, xs[a]);
        }
        return x.gather(dims, Dims.combine(dims, tables));
    }

    /**
     * Result position p along axis a holds operand position q when {@code p = low[a] + q*(interior[a]+1)};
     * every other position is zero. Negative low (or high) padding crops.
     */
    static Value pad(Value x, long[] low, List<Long> interior, int[] dims) {
        int[] xd = x.dims(), xs = Dims.strides(xd);
        int[][] tables = new int[dims.length][];
        for (int a = 0; a < dims.length; a++) {
            long every = interior.get(a) + 1;
            int[] t = new int[dims[a]];
            for (int p = 0; p < dims[a]; p++) {
                long off = p - low[a];
                t[p] = off >= 0 && off % every == 0 && off / every < xd[a] ? (int) (off / every) * xs[a] : -1;
            }
            tables[a] = t;
        }
        return x.gather(dims, Dims.combine(dims, tables));
    }

    /** The parts one after another along {@code axis}; equal elsewhere. */
    static Value concat(List<Value> parts, int axis, int[] dims) {
        Value first = parts.getFirst();
        int rank = dims.length, total = 0;
        for (Value p : parts) {
            int[] pd = p.dims();
            boolean fits = p.dtype() == first.dtype() && pd.length == rank;
            for (int a = 0; fits && a < rank; a++) fits = a == axis || pd[a] == dims[a];
            if (!fits) throw new InterpreterException("concat: part " + p.describe() + " does not fit " + Dims.typeString(first.dtype().spelling, dims));
            total += pd[axis];
        }
        if (total != dims[axis]) throw new InterpreterException("concat: parts add up to " + total + " along axis " + axis + ", not " + dims[axis]);
        Value out = Value.zeros(first.dtype(), dims);
        int outer = Dims.product(dims, 0, axis), inner = Dims.product(dims, axis + 1, rank);
        int row = dims[axis] * inner, offset = 0;
        for (Value p : parts) {
            int block = p.dims()[axis] * inner;
            // System.arraycopy copies any primitive array kind, so one loop serves all three
            for (int o = 0; o < outer; o++) System.arraycopy(p.array(), o * block, out.array(), o * row + offset, block);
            offset += block;
        }
        return out;
    }
}
