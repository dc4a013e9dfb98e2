package dev.modelc.runtime.jvm;

/**
 * The element functions whose definition is more than one JDK call, in one place so that the
 * reference interpreter, the Loop IR evaluator and compiled JVM code compute the same bits.
 * Float functions work in double; an f32 caller rounds the result to float once.
 */
public final class ElementMath {
    private ElementMath() {}

    private static final double SQRT1_2 = 0.7071067811865476;

    /** Never exp of a large positive number, so ±1000 give exactly 1 and 0 rather than NaN. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** max(x, 0) + log1p(exp(-|x|)): exp never overflows, and log1p keeps the tail exact. */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** x * Phi(x) written with erfc so that the far negative tail is not lost to 1 + erf ≈ 0. */
    public static double gelu(double x) {
        return 0.5 * x * Erf.erfc(-x * SQRT1_2);
    }

    /**
     * Math.pow, except where it departs from C's pow (which NumPy, PyTorch and native backends
     * use): C gives 1 for {@code pow(1, y)} with any y, NaN included, and for {@code pow(-1, ±inf)}.
     */
    public static double pow(double a, double b) {
        if (a == 1.0) return 1.0;
        if (a == -1.0 && Double.isInfinite(b)) return 1.0;
        return Math.pow(a, b);
    }

    /** Python's float %: the result takes the divisor's sign (a zero too). */
    public static double mod(double a, double b) {
        double r = a % b;
        if (r == 0) return Math.copySign(0.0, b);
        if ((r < 0) != (b < 0)) r += b;
        return r;
    }

    /**
     * Exponentiation by squaring; the low bits of a 64-bit product are right, so i32 callers get
     * the wrapped result by narrowing.
     *
     * @throws ArithmeticException for a negative exponent (an integer has no negative power)
     */
    public static long powInt(long base, long exponent) {
        if (exponent < 0) throw new ArithmeticException("integer " + base + " to the negative power " + exponent);
        long result = 1;
        while (exponent != 0) {
            if ((exponent & 1) != 0) result *= base;
            base *= base;
            exponent >>>= 1;
        }
        return result;
    }
}
