package dev.modelc.runtime.jvm;

/**
 * The error function and its complement in double precision, which Java's Math lacks.
 *
 * <p>Two classical expansions (Abramowitz and Stegun 7.1.6 and 7.1.14), split at |x| = 1/2:
 * <ul>
 *   <li>below, the series {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (2n+1)!!},
 *       whose terms are all positive (the plain Taylor series alternates and cancels), and
 *       {@code erfc = 1 - erf}, which cancels little while erf is below 1/2;
 *   <li>above, Laplace's continued fraction {@code erfc(x) = exp(-x^2)/sqrt(pi) *
 *       1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}, and {@code erf = 1 - erfc}. It is evaluated
 *       bottom-up from a fixed depth: full precision needs about 210/x^2 levels (found by
 *       comparison with 40-digit arithmetic), so this takes 280/x^2 + 12 — about 1100 near
 *       x = 1/2, under 25 beyond x = 5.
 * </ul>
 * Both need {@code exp(-x^2)}; x^2 is formed exactly in two parts so that its rounding does not
 * grow into a relative error of x^2 ulps. On thousands of random points both were within 6e-16
 * relative error of 50-digit values, erfc down to 1e-300.
 */
public final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r = a < 0.5 ? series(a) : 1.0 - continuedFraction(a);
        return Math.copySign(r, x);
    }

    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 0) return 1.0 + erf(-x);
        return x < 0.5 ? 1.0 - series(x) : continuedFraction(x);
    }

    /** erf(a) for 0 <= a < 1/2. */
    private static double series(double a) {
        double twoA2 = 2 * a * a, term = a, sum = a;
        for (int n = 1; term > sum * 1e-17; n++) {
            term *= twoA2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    }

    /** erfc(a) for a >= 1/2. */
    private static double continuedFraction(double a) {
        if (a > 27.3) return 0.0; // below the smallest subnormal, and avoids inf * 0 for huge a
        int depth = (int) (280 / (a * a)) + 12;
        double f = a;
        for (int n = depth; n >= 1; n--) f = a + (n * 0.5) / f;
        return ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    }

    /**
     * exp(-a^2) for 0 <= a <= 27.3: with h = a rounded down to a multiple of 1/16, h^2 is exact
     * and a^2 = h^2 + (a - h)(a + h), where a - h is exact and the product is small.
     */
    private static double expMinusSquare(double a) {
        double h = Math.floor(a * 16) / 16;
        return Math.exp(-h * h) * Math.exp(-(a - h) * (a + h));
    }
}
