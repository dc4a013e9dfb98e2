package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.interp.Value.Bools;
import dev.modelc.interp.Value.Floats;
import dev.modelc.interp.Value.Ints;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that combine the elements along some axes: reduce, argmax/argmin, and the stable
 * exponential family (softmax, log_softmax, logsumexp). Each element is sent to its group, the
 * result element it contributes to, by {@link Dims#reductionMap}, and groups accumulate in
 * double, in C order, rounding once at the end.
 */
final class Reductions {
    private Reductions() {}

    static Value reduce(ReduceFn fn, Value x, List<Integer> axes) {
        int[] dims = Dims.keptDims(x.dims(), axes);
        int[] group = Dims.reductionMap(x.dims(), axes);
        int n = Dims.size(dims);
        return switch (x) {
            case Floats f -> {
                double[] in = f.data(), acc = new double[n];
                switch (fn) {
                    case SUM -> { for (int i = 0; i < in.length; i++) acc[group[i]] += in[i]; }
                    case PROD -> {
                        Arrays.fill(acc, 1.0);
                        for (int i = 0; i < in.length; i++) acc[group[i]] *= in[i];
                    }
                    // Math.max and Math.min propagate NaN; the empty maximum is -inf
                    case MAX -> {
                        Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                        for (int i = 0; i < in.length; i++) acc[group[i]] = Math.max(acc[group[i]], in[i]);
                    }
                    case MIN -> {
                        Arrays.fill(acc, Double.POSITIVE_INFINITY);
                        for (int i = 0; i < in.length; i++) acc[group[i]] = Math.min(acc[group[i]], in[i]);
                    }
                }
                yield Value.floats(f.dtype(), dims, acc);
            }
            case Ints v -> {
                long[] in = v.data(), acc = new long[n];
                boolean i32 = v.dtype() == DType.I32;
                switch (fn) {
                    case SUM -> { for (int i = 0; i < in.length; i++) acc[group[i]] += in[i]; }
                    case PROD -> {
                        Arrays.fill(acc, 1);
                        for (int i = 0; i < in.length; i++) acc[group[i]] *= in[i];
                    }
                    case MAX -> {
                        Arrays.fill(acc, i32 ? Integer.MIN_VALUE : Long.MIN_VALUE);
                        for (int i = 0; i < in.length; i++) acc[group[i]] = Math.max(acc[group[i]], in[i]);
                    }
                    case MIN -> {
                        Arrays.fill(acc, i32 ? Integer.MAX_VALUE : Long.MAX_VALUE);
                        for (int i = 0; i < in.length; i++) acc[group[i]] = Math.min(acc[group[i]], in[i]);
                    }
                }
                yield Value.ints(v.dtype(), dims, acc);
            }
            case Bools b -> {
                // sum and max are "any", prod and min are "all", as NumPy's bool reductions
                boolean any = fn == ReduceFn.SUM || fn == ReduceFn.MAX;
                boolean[] in = b.data(), acc = new boolean[n];
                Arrays.fill(acc, !any);
                for (int i = 0; i < in.length; i++) acc[group[i]] = any ? acc[group[i]] || in[i] : acc[group[i]] && in[i];
                yield new Bools(dims, acc);
            }
        };
    }

    /**
     * The index (i64) along {@code axis} of the first maximum (or minimum). A NaN beats every
     * number, and the first NaN wins, as in NumPy.
     */
    static Value argReduce(Value x, boolean max, int axis) {
        int[] xd = x.dims();
        int outer = Dims.product(xd, 0, axis), len = xd[axis], inner = Dims.product(xd, axis + 1, xd.length);
        int[] dims = Dims.keptDims(xd, List.of(axis));
        if (len == 0 && outer * inner > 0) throw new InterpreterException((max ? "argmax" : "argmin") + " of an empty axis");
        long[] out = new long[outer * inner];
        double[] asDoubles = x instanceof Floats f ? f.data() : null;
        long[] asLongs = switch (x) {
            case Floats f -> null;
            case Ints v -> v.data();
            case Bools b -> {
                long[] l = new long[b.size()];
                for (int i = 0; i < l.length; i++) l[i] = b.data()[i] ? 1 : 0;
                yield l;
            }
        };
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in, best = 0;
                for (int k = 1; k < len; k++) {
                    int i = base + k * inner, b = base + best * inner;
                    boolean better;
                    if (asDoubles != null) {
                        double v = asDoubles[i], w = asDoubles[b];
                        better = !Double.isNaN(w) && (Double.isNaN(v) || (max ? v > w : v < w));
                    } else {
                        better = max ? asLongs[i] > asLongs[b] : asLongs[i] < asLongs[b];
                    }
                    if (better) best = k;
                }
                out[o * inner + in] = best;
            }
        }
        return Value.ints(DType.I64, dims, out);
    }

    /** exp(x - max) / sum(exp(x - max)) over {@code axes} jointly, or its log when {@code log}. */
    static Value softmax(Value x, List<Integer> axes, boolean log) {
        Floats f = requireFloat("softmax", x);
        double[] in = f.data(), out = new double[in.length];
        int[] group = Dims.reductionMap(f.dims(), axes);
        int groups = Dims.size(Dims.keptDims(f.dims(), axes));
        double[] max = groupMax(in, group, groups), sum = new double[groups];
        for (int i = 0; i < in.length; i++) sum[group[i]] += Math.exp(in[i] - max[group[i]]);
        for (int i = 0; i < in.length; i++) {
            int g = group[i];
            out[i] = log ? in[i] - max[g] - Math.log(sum[g]) : Math.exp(in[i] - max[g]) / sum[g];
        }
        return Value.floats(f.dtype(), f.dims(), out);
    }

    /**
     * log(sum(exp(x))) over {@code axes}, which are removed: max + log(sum(exp(x - max))). An
     * infinite maximum is the answer itself (all -inf gives -inf, any +inf gives +inf), which the
     * formula would turn into NaN.
     */
    static Value logSumExp(Value x, List<Integer> axes) {
        Floats f = requireFloat("logsumexp", x);
        double[] in = f.data();
        int[] group = Dims.reductionMap(f.dims(), axes);
        int[] dims = Dims.keptDims(f.dims(), axes);
        int groups = Dims.size(dims);
        double[] max = groupMax(in, group, groups), sum = new double[groups];
        for (int i = 0; i < in.length; i++) sum[group[i]] += Math.exp(in[i] - max[group[i]]);
        double[] out = new double[groups];
        for (int g = 0; g < groups; g++) out[g] = Double.isInfinite(max[g]) ? max[g] : max[g] + Math.log(sum[g]);
        return Value.floats(f.dtype(), dims, out);
    }

    private static double[] groupMax(double[] in, int[] group, int groups) {
        double[] max = new double[groups];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < in.length; i++) max[group[i]] = Math.max(max[group[i]], in[i]);
        return max;
    }

    static Floats requireFloat(String op, Value x) {
        if (x instanceof Floats f) return f;
        throw new InterpreterException(op + " needs a float operand, got " + x.describe());
    }
}
