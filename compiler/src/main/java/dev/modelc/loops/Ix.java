package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.BinaryFn;
import java.util.List;

/**
 * Builders for Loop IR expressions that fold constants and drop identities as they go, so the
 * printed loops read like hand-written index arithmetic ({@code i * 784 + k}, not
 * {@code (i * 784 + 0) + k * 1}).
 */
public final class Ix {
    private Ix() {}

    public static Expr idx(long v) { return new Expr.Index(v); }

    public static Expr add(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.addExact(x.value(), y.value()));
        if (isIndex(a, 0)) return b;
        if (isIndex(b, 0)) return a;
        return new Expr.Binary(BinaryFn.ADD, a, b, LType.INDEX);
    }

    public static Expr sub(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.subtractExact(x.value(), y.value()));
        if (isIndex(b, 0)) return a;
        return new Expr.Binary(BinaryFn.SUB, a, b, LType.INDEX);
    }

    public static Expr mul(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.multiplyExact(x.value(), y.value()));
        if (isIndex(a, 0) || isIndex(b, 0)) return idx(0);
        if (isIndex(a, 1)) return b;
        if (isIndex(b, 1)) return a;
        return new Expr.Binary(BinaryFn.MUL, a, b, LType.INDEX);
    }

    /** Floor division. */
    public static Expr div(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.floorDiv(x.value(), y.value()));
        if (isIndex(b, 1)) return a;
        return new Expr.Binary(BinaryFn.DIV, a, b, LType.INDEX);
    }

    /** Floor modulo. */
    public static Expr mod(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.floorMod(x.value(), y.value()));
        if (isIndex(b, 1)) return idx(0);
        return new Expr.Binary(BinaryFn.MOD, a, b, LType.INDEX);
    }

    public static Expr min(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.min(x.value(), y.value()));
        return new Expr.Binary(BinaryFn.MIN, a, b, LType.INDEX);
    }

    public static Expr max(Expr a, Expr b) {
        if (a instanceof Expr.Index x && b instanceof Expr.Index y) return idx(Math.max(x.value(), y.value()));
        return new Expr.Binary(BinaryFn.MAX, a, b, LType.INDEX);
    }

    /** A comparison of indices or elements, giving bool. */
    public static Expr cmp(BinaryFn fn, Expr a, Expr b) {
        return new Expr.Binary(fn, a, b, LType.scalar(DType.BOOL));
    }

    public static Expr and(Expr a, Expr b) {
        if (a == null) return b;
        if (b == null) return a;
        return new Expr.Binary(BinaryFn.AND, a, b, LType.scalar(DType.BOOL));
    }

    /** A dimension as index arithmetic over the run-time dimension variables. */
    public static Expr dim(DimExpr d) {
        return d.fold(new DimExpr.Algebra<Expr>() {
            public Expr constant(long value) { return idx(value); }
            public Expr variable(String name) { return new Expr.Dim(name); }
            public Expr floorDiv(Expr inner, long divisor) { return div(inner, idx(divisor)); }
            public Expr plus(Expr a, Expr b) { return add(a, b); }
            public Expr times(Expr a, Expr b) { return mul(a, b); }
        });
    }

    /** The C-order offset of {@code index} in {@code shape}. */
    public static Expr linear(List<Expr> index, List<DimExpr> shape) {
        Expr offset = idx(0);
        for (int i = 0; i < shape.size(); i++) offset = add(mul(offset, dim(shape.get(i))), index.get(i));
        return offset;
    }

    /** The constant value of a dimension, or a clear failure for a symbolic one where a number is needed. */
    public static long constant(DimExpr d, String what) {
        return d.constantValue().orElseThrow(() -> new LoopLoweringException(what + " must have a constant size, not " + d));
    }

    private static boolean isIndex(Expr e, long v) { return e instanceof Expr.Index i && i.value() == v; }
}
