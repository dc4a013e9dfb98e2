package dev.modelc.opt;

import static dev.modelc.opt.Rewriter.KEEP;

import dev.modelc.check.DType;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.*;
import java.util.List;

/**
 * Algebraic identities on elementwise ops that hold bit for bit in IEEE arithmetic, infinities,
 * NaN and the sign of zero included (NaN payloads aside). That rules out {@code x*0 -> 0} and
 * {@code x-x -> 0} (inf and NaN), and makes the additive identity a matter of signs:
 * {@code x + (-0.0)} is always {@code x}, but {@code x + 0.0} is not when x is -0.0, so it is
 * rewritten only where {@link ZeroSign} proves x is never -0.0. Likewise {@code x - 0.0 -> x}
 * always, {@code x - (-0.0) -> x} only with that proof, and {@code (-0.0) - x -> neg(x)}.
 * One rule changes values, and only towards the exact answer: {@code log(exp(x)) -> x}. In real
 * arithmetic the two are equal; evaluated in floating point, exp overflows for x > 88.7 in f32
 * (giving inf, not x) and rounds to 1 for tiny x (giving 0, not x), and elsewhere the pair
 * rounds twice. x is the value the program means, so the rewrite keeps it (PyTorch, evaluating
 * as written, gives inf and 0 in those ranges). {@code exp(log(x))} stays: it is NaN for x < 0.
 */
final class ArithmeticRules {
    private ArithmeticRules() {}

    static int rewrite(Node n, Rewriter r) {
        return switch (n.op()) {
            case Binary b -> binary(b.fn(), n.input(0), n.input(1), r);
            case Unary u -> unary(u.fn(), n.input(0), r);
            case Select s -> select(n.input(0), n.input(1), n.input(2), n, r);
            case Convert c -> convert(n, r);
            default -> KEEP;
        };
    }

    private static int binary(BinaryFn fn, int a, int b, Rewriter r) {
        return switch (fn) {
            case MUL -> r.isFill(b, 1) ? a : r.isFill(a, 1) ? b
                    : r.isFill(b, -1) ? r.unary(UnaryFn.NEG, a) : r.isFill(a, -1) ? r.unary(UnaryFn.NEG, b) : KEEP;
            case DIV -> r.isFill(b, 1) ? a : r.isFill(b, -1) ? r.unary(UnaryFn.NEG, a) : KEEP;
            case POW -> r.isFill(b, 1) ? a : KEEP; // Java and C both define pow(x, 1) as x, NaN included
            case ADD -> {
                if (addsNothing(a, b, r)) yield a;
                if (addsNothing(b, a, r)) yield b;
                if (negation(b, r) != KEEP) yield r.binary(BinaryFn.SUB, a, negation(b, r)); // a + (-b) is a - b by definition
                if (negation(a, r) != KEEP) yield r.binary(BinaryFn.SUB, b, negation(a, r));
                yield KEEP;
            }
            case SUB -> {
                if (subtractsNothing(a, b, r)) yield a;
                if (isInteger(a, r) ? r.isFill(a, 0) : r.isFill(a, -0.0)) yield r.unary(UnaryFn.NEG, b); // -0 - b == -b, also for b = ±0
                if (negation(b, r) != KEEP) yield r.binary(BinaryFn.ADD, a, negation(b, r));
                yield KEEP;
            }
            case MAX, MIN, AND, OR -> a == b ? a : KEEP;
            default -> KEEP;
        };
    }

    /** {@code x + zero == x}: an integer 0, a -0.0, or a +0.0 when x is never -0.0. */
    private static boolean addsNothing(int x, int zero, Rewriter r) {
        if (isInteger(x, r)) return r.isFill(zero, 0) || r.isFill(zero, -0.0);
        return r.isFill(zero, -0.0) || (r.isFill(zero, 0.0) && ZeroSign.neverNegativeZero(x, r));
    }

    /** {@code x - zero == x}: x + (-zero), so +0.0 always works and -0.0 needs the proof. */
    private static boolean subtractsNothing(int x, int zero, Rewriter r) {
        if (isInteger(x, r)) return r.isFill(zero, 0) || r.isFill(zero, -0.0);
        return r.isFill(zero, 0.0) || (r.isFill(zero, -0.0) && ZeroSign.neverNegativeZero(x, r));
    }

    private static int unary(UnaryFn fn, int x, Rewriter r) {
        Node in = r.node(x);
        return switch (fn) {
            case NEG -> negation(x, r);
            case NOT -> in.op() instanceof Unary(UnaryFn inner) && inner == UnaryFn.NOT ? in.input(0) : KEEP;
            case LOG -> in.op() instanceof Unary(UnaryFn inner) && inner == UnaryFn.EXP ? in.input(0) : KEEP;
            case ABS -> in.op() instanceof Unary(UnaryFn inner) && inner == UnaryFn.ABS ? x
                    : in.op() instanceof Unary(UnaryFn inner) && inner == UnaryFn.NEG ? r.unary(UnaryFn.ABS, in.input(0))
                    : KEEP;
            default -> KEEP;
        };
    }

    /** {@code y} when {@code x} is {@code neg(y)}, else KEEP. */
    private static int negation(int x, Rewriter r) {
        Node n = r.node(x);
        return n.op() instanceof Unary(UnaryFn fn) && fn == UnaryFn.NEG ? n.input(0) : KEEP;
    }

    private static int select(int c, int a, int b, Node n, Rewriter r) {
        if (a == b) return a;
        var cond = r.fill(c);
        if (cond.isPresent()) {
            var v = Scalars.value(cond.getAsDouble(), DType.BOOL);
            return v.isEmpty() ? KEEP : v.getAsDouble() != 0 ? a : b;
        }
        Node cn = r.node(c);
        if (cn.op() instanceof Unary(UnaryFn fn) && fn == UnaryFn.NOT) return r.emit(n.op(), List.of(cn.input(0), b, a), n.type());
        return KEEP;
    }

    /**
     * Drops a convert to the operand's own type, and the middle of a chain whose first step loses
     * nothing (so the second step sees the same value either way): i32 -> i64 -> f32 is i32 -> f32,
     * but f64 -> f32 -> f64 rounds and stays.
     */
    private static int convert(Node n, Rewriter r) {
        int x = n.input(0);
        DType to = n.type().dtype();
        if (r.type(x).dtype() == to) return x;
        Node in = r.node(x);
        if (in.op() instanceof Convert && widensExactly(r.type(in.input(0)).dtype(), r.type(x).dtype())) {
            return r.emit(n.op(), List.of(in.input(0)), n.type());
        }
        return KEEP;
    }

    /** Every value of {@code from} is a value of {@code to}. (f16 and bf16 stay out until their rounding is defined.) */
    static boolean widensExactly(DType from, DType to) {
        return from == to || from == DType.BOOL
                || (from == DType.I32 && (to == DType.I64 || to == DType.F64))
                || (from == DType.F32 && to == DType.F64);
    }

    private static boolean isInteger(int x, Rewriter r) { return !r.type(x).dtype().isFloat(); }
}
