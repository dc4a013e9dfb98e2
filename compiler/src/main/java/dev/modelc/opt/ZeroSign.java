package dev.modelc.opt;

import dev.modelc.check.DType;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.*;

/**
 * Proves that a value never holds -0.0, which makes {@code x + 0.0} equal to {@code x} (IEEE gives
 * {@code -0.0 + 0.0 = +0.0}, so the rewrite is otherwise wrong exactly there). Conservative: false
 * means "not proved". Integers and bools have no -0.
 */
final class ZeroSign {
    private ZeroSign() {}

    /** How far back through operands to look; a DAG could otherwise be walked exponentially. */
    private static final int DEPTH = 8;

    static boolean neverNegativeZero(int id, Rewriter r) { return never(id, r, DEPTH); }

    private static boolean never(int id, Rewriter r, int depth) {
        Node n = r.node(id);
        DType d = n.type().dtype();
        if (!d.isFloat()) return true;
        if (depth == 0) return false;
        int next = depth - 1;
        return switch (n.op()) {
            case Constant c -> (d == DType.F32 || d == DType.F64) && Double.compare(d == DType.F32 ? (float) c.value() : c.value(), -0.0) != 0;
            case DimSize s -> true;
            case Iota i -> true;
            case RandomUniform u -> true;
            case Convert c -> {
                DType from = r.type(n.input(0)).dtype();
                // from an integer there is no -0; from a narrower float the sign of a zero is kept
                yield !from.isFloat() || (from == DType.F32 && d == DType.F64 && never(n.input(0), r, next));
            }
            case Unary u -> switch (u.fn()) {
                // max(x, 0.0) makes -0 into +0; the others are never negative
                case ABS, SQUARE, EXP, RELU, SIGMOID, SOFTPLUS -> true;
                case SQRT, SIGN -> never(n.input(0), r, next); // both keep -0 and make nothing else into it
                default -> false;
            };
            case Binary b -> switch (b.fn()) {
                // in round-to-nearest a sum is -0 only when both terms are, and max(-0, +0) is +0
                case ADD, MAX -> never(n.input(0), r, next) || never(n.input(1), r, next);
                case SUB -> never(n.input(0), r, next); // a - b is -0 only for a = -0, b = +0
                default -> false;
            };
            case Select s -> never(n.input(1), r, next) && never(n.input(2), r, next);
            case Broadcast b -> never(n.input(0), r, next);
            case Reshape s -> never(n.input(0), r, next);
            case Transpose t -> never(n.input(0), r, next);
            case Slice s -> never(n.input(0), r, next);
            case Pad p -> never(n.input(0), r, next); // the padding is +0
            case Concat c -> n.inputs().stream().allMatch(i -> never(i, r, next));
            // the interpreter's sum starts from +0.0, and +0.0 + x is never -0
            case Reduce red -> red.fn() == ReduceFn.SUM || (red.fn() != ReduceFn.PROD && never(n.input(0), r, next));
            case Softmax s -> true;
            default -> false;
        };
    }
}
