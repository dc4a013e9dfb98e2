package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import dev.modelc.diag.Diagnostics;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typing of {@code x[i]}, {@code x[1:3, ::2]}, {@code x[..., -1]}: integer indices drop an axis,
 * slices keep it with Python's length rule; indices and slice bounds are compile-time integers.
 */
public final class Indexing {
    private Indexing() {}

    static Typed check(Ast.Index x, Typed target, Function<Ast.Expr, Typed> checkExpr, Diagnostics d) {
        var parts = new ArrayList<Typed[]>();
        for (var s : x.subscripts()) {
            switch (s) {
                case Ast.At at -> parts.add(new Typed[] {checkExpr.apply(at.index())});
                case Ast.Slice sl -> parts.add(new Typed[] {
                        sl.lo() == null ? null : checkExpr.apply(sl.lo()),
                        sl.hi() == null ? null : checkExpr.apply(sl.hi()),
                        sl.step() == null ? null : checkExpr.apply(sl.step())});
                case Ast.Ellipsis e -> parts.add(null);
            }
        }
        if (target.isUnknown()) return Typed.UNKNOWN;
        if (target.type() instanceof Type.Tuple tuple) return element(x, tuple, target.value(), parts, d);
        if (!(target.type() instanceof Tensor t)) {
            d.error(x.target().span(), "index-not-tensor", "only tensors can be indexed, this is " + target.type());
            return Typed.UNKNOWN;
        }
        long ellipses = x.subscripts().stream().filter(s -> s instanceof Ast.Ellipsis).count();
        if (ellipses > 1) {
            d.error(x.span(), "index-ellipsis", "an index may hold only one '...'");
            return Typed.UNKNOWN;
        }
        int consumed = x.subscripts().size() - (int) ellipses;
        if (consumed > t.rank()) {
            d.error(x.span(), "index-too-many", "too many indices (" + consumed + ") for " + t);
            return Typed.UNKNOWN;
        }
        var out = new ArrayList<DimExpr>();
        int axis = 0;
        for (int i = 0; i < x.subscripts().size(); i++) {
            var s = x.subscripts().get(i);
            switch (s) {
                case Ast.Ellipsis e -> {
                    int skip = t.rank() - consumed;
                    for (int k = 0; k < skip; k++) out.add(t.shape().get(axis++));
                }
                case Ast.At at -> {
                    Long idx = index(at.index(), parts.get(i)[0], d);
                    if (idx == null) return Typed.UNKNOWN;
                    DimExpr dim = t.shape().get(axis);
                    if (dim.isConstant()) {
                        long n = dim.constantValue().getAsLong();
                        if (idx >= n || idx < -n) {
                            d.error(at.span(), "index-range", "index " + idx + " is out of range for axis " + axis
                                    + " of size " + n + " in " + t);
                            return Typed.UNKNOWN;
                        }
                    }
                    axis++;
                }
                case Ast.Slice sl -> {
                    Typed[] p = parts.get(i);
                    Long lo = p[0] == null ? null : index(sl.lo(), p[0], d);
                    Long hi = p[1] == null ? null : index(sl.hi(), p[1], d);
                    Long step = p[2] == null ? Long.valueOf(1) : index(sl.step(), p[2], d);
                    if ((p[0] != null && lo == null) || (p[1] != null && hi == null) || step == null) return Typed.UNKNOWN;
                    if (step == 0) {
                        d.error(sl.step().span(), "index-step", "slice step cannot be zero");
                        return Typed.UNKNOWN;
                    }
                    DimExpr len = sliceLength(t.shape().get(axis), lo, hi, step);
                    if (len == null) {
                        d.error(sl.span(), "index-symbolic", "cannot work out the length of this slice of axis " + axis
                                + " (size " + t.shape().get(axis) + ") at compile time");
                        return Typed.UNKNOWN;
                    }
                    out.add(len);
                    axis++;
                }
            }
        }
        while (axis < t.rank()) out.add(t.shape().get(axis++));
        return Typed.of(t.withShape(out));
    }

    /** {@code t[i]} on a tuple (e.g. the result of grad over several names): a constant index picks an element. */
    private static Typed element(Ast.Index x, Type.Tuple tuple, Object value, List<Typed[]> parts, Diagnostics d) {
        if (x.subscripts().size() != 1 || !(x.subscripts().get(0) instanceof Ast.At at)) {
            d.error(x.span(), "index-tuple", "a tuple takes a single integer index, e.g. t[0]");
            return Typed.UNKNOWN;
        }
        Long i = index(at.index(), parts.get(0)[0], d);
        if (i == null) return Typed.UNKNOWN;
        int n = tuple.elements().size();
        if (i >= n || i < -n) {
            d.error(at.span(), "index-range", "index " + i + " is out of range for a tuple of " + n);
            return Typed.UNKNOWN;
        }
        int k = (int) (i < 0 ? i + n : i);
        Object v = value instanceof List<?> l ? l.get(k) : value == CallArgs.PENDING ? value : null;
        return new Typed(tuple.elements().get(k), v);
    }

    private static Long index(Ast.Expr e, Typed t, Diagnostics d) {
        if (t.isUnknown() || t.value() == CallArgs.PENDING) return null;
        Long v = Values.asLong(t.value());
        if (v == null || !(t.type() instanceof Tensor tt) || !tt.dtype().isInt()) {
            d.error(e.span(), "index-static", "indices and slice bounds must be integer constants, got "
                    + (t.value() instanceof DimExpr de ? de.toString() : t.type().toString()));
            return null;
        }
        return v;
    }

    /** Python's slice length; for a symbolic size only the forms whose length does not depend on clamping. */
    public static DimExpr sliceLength(DimExpr size, Long lo, Long hi, long step) {
        if (size.isConstant()) {
            long n = size.constantValue().getAsLong();
            long start, stop;
            // Bounds are clamped into [-1, n] first, so the arithmetic below cannot overflow except for steps near the limits.
            if (step > 0) {
                start = lo == null ? 0 : clamp(lo < 0 ? Math.addExact(lo, n) : lo, 0, n);
                stop = hi == null ? n : clamp(hi < 0 ? Math.addExact(hi, n) : hi, 0, n);
                return DimExpr.constant(stop > start ? 1 + (stop - start - 1) / step : 0);
            }
            start = lo == null ? n - 1 : clamp(lo < 0 ? Math.addExact(lo, n) : lo, -1, n - 1);
            stop = hi == null ? -1 : clamp(hi < 0 ? Math.addExact(hi, n) : hi, -1, n - 1);
            return DimExpr.constant(start > stop ? 1 + (start - stop - 1) / Math.negateExact(step) : 0);
        }
        if (step < 0) {
            return lo == null && hi == null ? size.plus(DimExpr.constant(Math.negateExact(step) - 1)).floorDiv(-step) : null;
        }
        // Bounds count from the start (non-negative) or from the end (negative); assume they lie inside the axis,
        // which no bound beyond any realistic size can.
        if ((lo != null && Math.abs(lo) > MAX_SYMBOLIC_BOUND) || (hi != null && Math.abs(hi) > MAX_SYMBOLIC_BOUND)) return null;
        DimExpr start = lo == null ? DimExpr.constant(0) : lo < 0 ? size.plus(DimExpr.constant(lo)) : DimExpr.constant(lo);
        DimExpr stop = hi == null ? size : hi < 0 ? size.plus(DimExpr.constant(hi)) : DimExpr.constant(hi);
        DimExpr length = stop.minus(start).plus(DimExpr.constant(Math.subtractExact(step, 1))).floorDiv(step);
        // Both bounds on the same side of the axis (x[5:2], x[-1:-3]): the length is a constant, never negative.
        return length.isConstant() && length.constantValue().getAsLong() < 0 ? DimExpr.constant(0) : length;
    }

    private static final long MAX_SYMBOLIC_BOUND = 1L << 40;

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }

}
