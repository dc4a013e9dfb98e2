package dev.modelc.api.golden;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;

/**
 * An entry's computed value compared with its expected value. The dtype and shape must match
 * exactly; then every float element must satisfy {@code |a - e| <= atol + rtol * |e|} (equal
 * infinities and two NaNs match, {@code -0.0} matches {@code 0.0}), and every integer or bool
 * element must be equal.
 *
 * @param problem a dtype or shape mismatch, or null when they match
 * @param mismatches how many elements are out of tolerance
 * @param worst the flat index of the element furthest out of tolerance, or -1
 * @param maxAbsDifference the largest {@code |a - e|} over all elements (infinite when a NaN
 *     meets a number); 0 when the dtype or shape differ
 */
public record Comparison(String entry, Tensor actual, Tensor expected, Tolerance tolerance, String problem,
        long mismatches, long worst, double maxAbsDifference) {

    public static Comparison of(String entry, Tensor actual, Tensor expected, Tolerance tolerance) {
        if (actual.dtype() != expected.dtype()) {
            return new Comparison(entry, actual, expected, tolerance,
                    actual.dtype().displayName() + " vs expected " + expected.dtype().displayName(), 0, -1, 0);
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return new Comparison(entry, actual, expected, tolerance,
                    "shape " + Tensor.formatShape(actual.shape()) + " vs expected " + Tensor.formatShape(expected.shape()), 0, -1, 0);
        }
        return isFloat(actual.dtype())
                ? compareFloats(entry, actual, expected, tolerance)
                : compareExact(entry, actual, expected, tolerance);
    }

    public boolean passed() { return problem == null && mismatches == 0; }

    /**
     * What went wrong, e.g. {@code logits[0, 3]: 0.51 vs expected 0.49 (2 of 96 elements differ;
     * rtol=1e-4 atol=1e-5)}; empty when it passed.
     */
    public String message() {
        if (problem != null) return entry + ": " + problem;
        if (mismatches == 0) return "";
        String tol = isFloat(expected.dtype()) ? "; " + tolerance : "";
        return entry + index(worst, expected.shape()) + ": " + element(actual, worst) + " vs expected " + element(expected, worst)
                + " (" + mismatches + " of " + expected.elementCount() + (expected.elementCount() == 1 ? " element differs" : " elements differ")
                + tol + ")";
    }

    private static Comparison compareFloats(String entry, Tensor actual, Tensor expected, Tolerance tolerance) {
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        long mismatches = 0;
        int worst = -1;
        double worstScore = -1;
        double maxAbs = 0;
        for (int i = 0; i < a.length; i++) {
            boolean bothNaN = Double.isNaN(a[i]) && Double.isNaN(e[i]);
            double d = a[i] == e[i] || bothNaN ? 0 : Math.abs(a[i] - e[i]);
            maxAbs = Math.max(maxAbs, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
            if (tolerance.accepts(a[i], e[i])) continue;
            mismatches++;
            double limit = tolerance.atol() + tolerance.rtol() * Math.abs(e[i]);
            double score = Double.isFinite(d) && limit > 0 ? d / limit : Double.POSITIVE_INFINITY;
            if (score > worstScore) {
                worstScore = score;
                worst = i;
            }
        }
        return new Comparison(entry, actual, expected, tolerance, null, mismatches, worst, maxAbs);
    }

    private static Comparison compareExact(String entry, Tensor actual, Tensor expected, Tolerance tolerance) {
        long[] a = integers(actual);
        long[] e = integers(expected);
        long mismatches = 0;
        int worst = -1;
        double maxAbs = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == e[i]) continue;
            mismatches++;
            double d = Math.abs((double) a[i] - (double) e[i]);
            if (d > maxAbs || worst < 0) worst = i;
            maxAbs = Math.max(maxAbs, d);
        }
        return new Comparison(entry, actual, expected, tolerance, null, mismatches, worst, maxAbs);
    }

    private static boolean isFloat(DType dtype) {
        return dtype == DType.F32 || dtype == DType.F64 || dtype == DType.F16 || dtype == DType.BF16;
    }

    private static long[] integers(Tensor t) {
        if (t.dtype() != DType.BOOL) return t.toLongArray();
        boolean[] b = t.toBooleanArray();
        long[] out = new long[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] ? 1 : 0;
        return out;
    }

    /** One element as its type prints it: {@code 0.49} (the float32 value, shortest form), {@code 3}, {@code true}. */
    private static String element(Tensor t, long flat) {
        long[] index = unravel(flat, t.shape());
        return switch (t.dtype()) {
            case F64 -> Double.toString(t.getDouble(index));
            case I32, I64 -> Long.toString(t.getLong(index));
            case BOOL -> Boolean.toString(t.getBoolean(index));
            default -> Float.toString(t.getFloat(index));
        };
    }

    /** {@code [0, 3, 1, 2]}, or nothing for a scalar. */
    private static String index(long flat, long[] shape) {
        return shape.length == 0 ? "" : Arrays.toString(unravel(flat, shape));
    }

    private static long[] unravel(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
