package dev.modelc.loops;

import java.util.OptionalLong;

/** How an index expression moves when one loop variable grows by one, when that is a constant. */
final class Affine {
    private Affine() {}

    /**
     * The constant {@code c} such that {@code e(var + 1) = e(var) + c} for every value of the
     * other variables, or empty when {@code e} is not affine in {@code var} (e.g. {@code var / 2}).
     */
    static OptionalLong coefficient(Expr e, String var) {
        return switch (e) {
            case Expr.Index i -> OptionalLong.of(0);
            case Expr.Dim d -> OptionalLong.of(0);
            case Expr.Var v -> OptionalLong.of(v.name().equals(var) ? 1 : 0);
            case Expr.Binary b when b.type() instanceof LType.Index -> binary(b, var);
            default -> OptionalLong.empty();
        };
    }

    private static OptionalLong binary(Expr.Binary b, String var) {
        var x = coefficient(b.a(), var);
        var y = coefficient(b.b(), var);
        if (x.isEmpty() || y.isEmpty()) return OptionalLong.empty();
        long p = x.getAsLong(), q = y.getAsLong();
        return switch (b.fn()) {
            case ADD -> OptionalLong.of(p + q);
            case SUB -> OptionalLong.of(p - q);
            case MUL -> {
                // affine times a constant; a product of two moving terms is not affine
                if (p == 0 && q == 0) yield OptionalLong.of(0);
                if (p == 0 && b.a() instanceof Expr.Index c) yield OptionalLong.of(c.value() * q);
                if (q == 0 && b.b() instanceof Expr.Index c) yield OptionalLong.of(c.value() * p);
                yield OptionalLong.empty();
            }
            default -> p == 0 && q == 0 ? OptionalLong.of(0) : OptionalLong.empty();
        };
    }

}
