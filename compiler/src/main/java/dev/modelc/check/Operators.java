package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.diag.Diagnostics;
import dev.modelc.syntax.Ast.BinOp;
import dev.modelc.syntax.Ast.Binary;
import dev.modelc.syntax.Ast.UnOp;
import dev.modelc.syntax.Ast.Unary;

/**
 * Typing of operators with NumPy broadcasting and PyTorch-style promotion, and folding of
 * compile-time values: integers stay symbolic ({@code B * 2}), floats and bools fold.
 */
final class Operators {
    private Operators() {}

    static Typed binary(Binary b, Typed l, Typed r, Diagnostics d) {
        if (l.isUnknown() || r.isUnknown()) return Typed.UNKNOWN;
        String op = "'" + b.op().symbol + "'";
        if (!(l.type() instanceof Tensor x) || !(r.type() instanceof Tensor y)) {
            d.error(b.opSpan(), "type-operand", op + " needs tensor operands, got " + l.type() + " and " + r.type());
            return Typed.UNKNOWN;
        }
        if (b.op() == BinOp.MATMUL) {
            var args = new CallArgs("matmul", b.span(), java.util.Map.of("a", l, "b", r), java.util.Map.of(), d);
            try {
                numeric(b, x, y, d);
                return Typed.of(Matmul.type(args, x, y));
            } catch (CheckAbort abort) {
                return Typed.UNKNOWN;
            }
        }
        if (b.op().isLogical()) {
            if (x.dtype() != DType.BOOL || y.dtype() != DType.BOOL) {
                d.error(b.opSpan(), "type-not-bool", op + " needs bool operands, got " + x + " and " + y);
                return Typed.UNKNOWN;
            }
        } else if (!b.op().isComparison() || !(b.op() == BinOp.EQ || b.op() == BinOp.NE)) {
            try {
                numeric(b, x, y, d);
            } catch (CheckAbort abort) {
                return Typed.UNKNOWN;
            }
        } else if ((x.dtype() == DType.BOOL) != (y.dtype() == DType.BOOL)) {
            d.error(b.opSpan(), "type-mismatch", op + " compares bool with a number: " + x + " and " + y);
            return Typed.UNKNOWN;
        }
        var shape = Shapes.broadcast(x.shape(), y.shape());
        if (shape == null) {
            d.error(b.span(), "shape-broadcast", op + ": shapes do not broadcast: " + x + " and " + y);
            return Typed.UNKNOWN;
        }
        Tensor result;
        if (b.op().isComparison() || b.op().isLogical()) {
            result = new Tensor(DType.BOOL, shape, false);
        } else {
            result = Promotion.result(x, y).withShape(shape);
            if (b.op() == BinOp.DIV && !result.dtype().isFloat()) result = new Tensor(DType.F32, shape, result.weak());
            // Literals follow Python: an integer to a negative integer power is a float (2 ** -1 is 0.5).
            if (b.op() == BinOp.POW && result.weak() && !result.dtype().isFloat() && negativeConstant(r.value())) {
                result = new Tensor(DType.F32, shape, true);
            } else if (b.op() == BinOp.POW && !result.dtype().isFloat() && negativeConstant(r.value())) {
                // PyTorch refuses it too: the result would be a fraction that an integer cannot hold
                d.error(b.span(), "type-int-negative-power", "'**': " + x + " to a negative power is not an integer (cast the base to f32 first)");
                return Typed.UNKNOWN;
            }
        }
        return new Typed(result, fold(b.op(), l.value(), r.value()));
    }

    private static void numeric(Binary b, Tensor x, Tensor y, Diagnostics d) {
        if (x.dtype() == DType.BOOL || y.dtype() == DType.BOOL) {
            d.error(b.opSpan(), "type-bool-arithmetic", "'" + b.op().symbol + "' is not defined on bool: " + x + " and " + y
                    + " (use cast(x, f32), or and/or for logic)");
            throw CheckAbort.INSTANCE;
        }
    }

    static Typed unary(Unary u, Typed t, Diagnostics d) {
        if (t.isUnknown()) return Typed.UNKNOWN;
        if (!(t.type() instanceof Tensor x)) {
            d.error(u.span(), "type-operand", "'" + u.op().symbol + "' needs a tensor operand, got " + t.type());
            return Typed.UNKNOWN;
        }
        if (u.op() == UnOp.NOT) {
            if (x.dtype() != DType.BOOL) {
                d.error(u.span(), "type-not-bool", "'not' needs a bool operand, got " + x);
                return Typed.UNKNOWN;
            }
            return new Typed(x, t.value() instanceof Boolean v ? !v : pending(t.value()));
        }
        if (x.dtype() == DType.BOOL) {
            d.error(u.span(), "type-bool-arithmetic", "'" + u.op().symbol + "' is not defined on bool: " + x);
            return Typed.UNKNOWN;
        }
        if (u.op() == UnOp.POS) return t;
        Object v = switch (t.value()) {
            case DimExpr e -> e.negate();
            case Double f -> -f;
            case null, default -> pending(t.value());
        };
        return new Typed(x, v);
    }

    private static boolean negativeConstant(Object v) {
        return v instanceof DimExpr e && e.isConstant() && e.constantValue().getAsLong() < 0;
    }

    private static Object pending(Object v) { return v == CallArgs.PENDING ? v : null; }

    private static Object fold(BinOp op, Object a, Object b) {
        if (a == CallArgs.PENDING || b == CallArgs.PENDING) return CallArgs.PENDING;
        if (a == null || b == null) return null;
        if (a instanceof DimExpr x && b instanceof DimExpr y) {
            switch (op) {
                case ADD: return x.plus(y);
                case SUB: return x.minus(y);
                case MUL: return x.times(y);
                case POW:
                    if (x.isConstant() && negativeConstant(y)) return Math.pow(x.constantValue().getAsLong(), y.constantValue().getAsLong());
                    if (x.isConstant() && y.isConstant() && y.constantValue().getAsLong() >= 0) {
                        long base = x.constantValue().getAsLong();
                        long k = y.constantValue().getAsLong();
                        if (base == 0 || base == 1) return DimExpr.constant(k == 0 ? 1 : base);
                        if (base == -1) return DimExpr.constant(k % 2 == 0 ? 1 : -1);
                        long result = 1;
                        for (; k > 0; k--) result = Math.multiplyExact(result, base);  // overflows within 63 steps
                        return DimExpr.constant(result);
                    }
                    return null;
                case MOD:
                    if (x.isConstant() && y.isConstant() && y.constantValue().getAsLong() != 0) {
                        return DimExpr.constant(Math.floorMod(x.constantValue().getAsLong(), y.constantValue().getAsLong()));
                    }
                    return null;
                default: break;
            }
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return switch (op) {
                case AND -> x && y;
                case OR -> x || y;
                case EQ -> x.equals(y);
                case NE -> !x.equals(y);
                default -> null;
            };
        }
        Double x = Values.asDouble(a);
        Double y = Values.asDouble(b);
        if (x == null || y == null) return null;
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MOD -> y == 0 ? null : x - Math.floor(x / y) * y;
            case POW -> Math.pow(x, y);
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            case EQ -> x.doubleValue() == y.doubleValue();
            case NE -> x.doubleValue() != y.doubleValue();
            default -> null;
        };
    }
}
