package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the scalar value computed at index {@code var} of an innermost loop into the vector of
 * the values at {@code var, var+1, …, var+lanes-1}, when that can be done lane by lane exactly:
 * every load either steps by one element per iteration (a vector load) or does not move (a
 * splat), every value is f32 (or a bool mask from comparing f32), and every op is one whose
 * vector form rounds exactly as its scalar form (no transcendental functions, whose vector
 * versions may differ from {@code Math}'s in the last place).
 */
final class Vectorizer {
    private static final Set<UnaryFn> EXACT_UNARY = EnumSet.of(UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQUARE, UnaryFn.RELU, UnaryFn.SQRT, UnaryFn.NOT);
    private static final Set<BinaryFn> EXACT_BINARY = EnumSet.of(BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAX,
            BinaryFn.MIN, BinaryFn.LT, BinaryFn.LE, BinaryFn.GT, BinaryFn.GE, BinaryFn.EQ, BinaryFn.NE, BinaryFn.AND, BinaryFn.OR);

    private final String var;
    private final int lanes;

    Vectorizer(String var, int lanes) {
        this.var = var;
        this.lanes = lanes;
    }

    /** The vector form of {@code e}, or empty when some part of it has none. */
    Optional<Expr> vectorize(Expr e) {
        try {
            return Optional.of(vector(e));
        } catch (NotVectorizable x) {
            return Optional.empty();
        }
    }

    private static final class NotVectorizable extends RuntimeException {
        NotVectorizable() { super(null, null, false, false); }
    }

    private Expr vector(Expr e) {
        if (!(e.type() instanceof LType.Scalar s) || (s.dtype() != DType.F32 && s.dtype() != DType.BOOL)) throw new NotVectorizable();
        return switch (e) {
            case Expr.Const c -> new Expr.Splat(c, lanes);
            case Expr.Load l -> {
                if (l.type().dtype() != DType.F32) throw new NotVectorizable();
                long step = Affine.coefficient(l.index(), var).orElseThrow(NotVectorizable::new);
                if (step == 0) yield new Expr.Splat(l, lanes);
                if (step != 1) throw new NotVectorizable();
                yield new Expr.Load(l.buffer(), l.index(), l.type().withLanes(lanes));
            }
            case Expr.Unary u when EXACT_UNARY.contains(u.fn()) -> new Expr.Unary(u.fn(), vector(u.a()));
            case Expr.Binary b when EXACT_BINARY.contains(b.fn()) && b.a().type() instanceof LType.Scalar ->
                    new Expr.Binary(b.fn(), vector(b.a()), vector(b.b()), b.type().withLanes(lanes));
            case Expr.Select s2 -> new Expr.Select(vector(s2.cond()), vector(s2.a()), vector(s2.b()));
            default -> throw new NotVectorizable();
        };
    }
}
