package dev.modelc.api.golden;

import dev.modelc.runtime.DType;

/**
 * How far a computed element may be from the expected one: {@code |a - e| <= atol + rtol * |e|}.
 *
 * @param rtol relative tolerance, at least 0
 * @param atol absolute tolerance, at least 0
 */
public record Tolerance(double rtol, double atol) {
    /** The default for float32 (and the other non-f64 floats) outputs. */
    public static final Tolerance F32 = new Tolerance(1e-4, 1e-5);
    /** The default for float64 outputs. */
    public static final Tolerance F64 = new Tolerance(1e-9, 1e-12);

    public Tolerance {
        if (!(rtol >= 0 && atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("tolerances must be finite and not negative: rtol=" + rtol + " atol=" + atol);
        }
    }

    /** The default tolerance for outputs of one element type. */
    public static Tolerance defaultFor(DType dtype) { return dtype == DType.F64 ? F64 : F32; }

    /** Whether {@code actual} is close enough to {@code expected}; an infinity matches only itself, and two NaNs match. */
    public boolean accepts(double actual, double expected) {
        if (actual == expected || (Double.isNaN(actual) && Double.isNaN(expected))) return true;
        if (Double.isInfinite(actual) || Double.isInfinite(expected)) return false;
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /** For example {@code rtol=1e-4 atol=1e-5}. */
    @Override
    public String toString() { return "rtol=" + format(rtol) + " atol=" + format(atol); }

    /** A number as short as it reads: {@code 1e-4}, {@code 3e-4}, {@code 0.5}, {@code 2.5e-7}. */
    static String format(double x) {
        String s = Double.toString(x);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return e < 0 ? mantissa : mantissa + "e" + s.substring(e + 1);
    }
}
