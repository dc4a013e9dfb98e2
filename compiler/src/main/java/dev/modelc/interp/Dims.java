package dev.modelc.interp;

import java.util.List;

/**
 * Concrete shapes ({@code int[]}, since the elements live in Java arrays) and flat C-order index
 * arithmetic. Layout ops describe themselves per result axis — which source offset each position
 * along that axis contributes — and {@link #combine} turns that into one flat index per element.
 */
final class Dims {
    private Dims() {}

    static int size(int[] dims) {
        long n = 1;
        for (int d : dims) n = Math.min(n * d, Integer.MAX_VALUE); // saturate: no long overflow
        if (n > Integer.MAX_VALUE - 8) throw new InterpreterException("a tensor of shape " + format(dims) + " is too large for the interpreter");
        return (int) n;
    }

    /** C-order strides: the flat distance between neighbours along each axis. */
    static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int step = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
            s[a] = step;
            step *= dims[a];
        }
        return s;
    }

    /** The product of the sizes of axes {@code [from, to)}. */
    static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int a = from; a < to; a++) p *= dims[a];
        return p;
    }

    /**
     * For each element (C order) of a tensor of shape {@code dims}, the sum over axes {@code a} of
     * {@code tables[a][i_a]}, where {@code i_a} is the element's position along axis a; -1 where
     * any table entry is negative (used for "no source element": padding).
     */
    static int[] combine(int[] dims, int[][] tables) {
        int n = size(dims);
        int[] out = new int[n];
        int rank = dims.length;
        if (rank == 0 || n == 0) return out; // a scalar's one element is at offset 0
        int last = rank - 1, inner = dims[last];
        int[] lastTable = tables[last];
        int[] pos = new int[rank];
        for (int row = 0; row < n; row += inner) {
            int base = 0;
            for (int a = 0; a < last && base >= 0; a++) {
                int c = tables[a][pos[a]];
                base = c < 0 ? -1 : base + c;
            }
            for (int j = 0; j < inner; j++) {
                int c = lastTable[j];
                out[row + j] = base < 0 || c < 0 ? -1 : base + c;
            }
            for (int a = last - 1; a >= 0 && ++pos[a] == dims[a]; a--) pos[a] = 0;
        }
        return out;
    }

    /** {@code (start + k*step) * stride} for k in [0, n). */
    static int[] arithmetic(int n, long start, long step, int stride) {
        int[] t = new int[n];
        for (int k = 0; k < n; k++) t[k] = Math.toIntExact((start + k * step) * stride);
        return t;
    }

    /**
     * For each element of a tensor of shape {@code dims}, the flat index of the element it lands on
     * when {@code axes} are reduced away (the result keeps the other axes in order).
     */
    static int[] reductionMap(int[] dims, List<Integer> axes) {
        int[] outStrides = strides(keptDims(dims, axes));
        int[][] tables = new int[dims.length][];
        int k = 0;
        for (int a = 0; a < dims.length; a++) {
            boolean reduced = axes.contains(a);
            tables[a] = arithmetic(dims[a], 0, 1, reduced ? 0 : outStrides[k]);
            if (!reduced) k++;
        }
        return combine(dims, tables);
    }

    /** The shape without {@code axes}. */
    static int[] keptDims(int[] dims, List<Integer> axes) {
        int[] out = new int[dims.length - axes.size()];
        int k = 0;
        for (int a = 0; a < dims.length; a++) if (!axes.contains(a)) out[k++] = dims[a];
        return out;
    }

    static int[] fromLongs(long[] shape) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw new InterpreterException("dimension " + shape[i] + " is too large for the interpreter");
            out[i] = (int) shape[i];
        }
        return out;
    }

    static long[] toLongs(int[] dims) {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dims[i];
        return out;
    }

    static String format(int[] dims) {
        var sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : ", ").append(dims[i]);
        return sb.append(']').toString();
    }

    static String typeString(String dtype, int[] dims) { return dtype + format(dims); }
}
