package dev.modelc.graph;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The typing rule of every op: whether a node's type agrees with its operands' types and its
 * attributes. Returns a message saying what disagrees, or null. Used by {@link Verifier} and by
 * {@link GraphBuilder}, which works result types out with {@link #infer} where they are implied.
 */
public final class TypeRules {
    private TypeRules() {}

    private static final DimExpr ONE = DimExpr.constant(1);

    /** Null when {@code node}'s type is right for {@code in}, else what is wrong. */
    public static String check(Node node, List<TensorType> in) {
        TensorType t = node.type();
        Op op = node.op();
        int arity = arity(op);
        if (arity >= 0 && in.size() != arity) return "takes " + arity + " operand" + (arity == 1 ? "" : "s") + ", got " + in.size();
        return switch (op) {
            case Input i -> null;
            case Constant c -> null;
            case DimSize d -> t.rank() == 0 ? null : "must be a scalar";
            case Iota i -> i.axis() >= 0 && i.axis() < t.rank() && t.dtype().isInt() ? null : "needs an integer type with axis " + i.axis();
            case Unary u -> unary(u.fn(), in.get(0), t);
            case Binary b -> binary(b.fn(), in.get(0), in.get(1), t);
            case Select s -> in.get(0).dtype() != DType.BOOL ? "condition must be bool"
                    : !same(in.get(0).shape(), t.shape()) || !in.get(1).equals(t) || !in.get(2).equals(t) ? "operands must all be " + t : null;
            case Convert c -> same(in.get(0).shape(), t.shape()) ? null : "shape changes";
            case Broadcast b -> broadcast(b, in.get(0), t);
            case Reshape r -> in.get(0).dtype() != t.dtype() ? "element type changes"
                    : in.get(0).size().equals(t.size()) ? null : "element counts differ: " + in.get(0).size() + " and " + t.size();
            case Transpose p -> expect(t, transpose(in.get(0), p.perm()));
            case Slice s -> slice(s, in.get(0), t);
            case Pad p -> pad(p, in.get(0), t);
            case Concat c -> expect(t, concat(c.axis(), in));
            case Reduce r -> expect(t, reduce(in.get(0), r.axes(), in.get(0).dtype()));
            case ArgReduce a -> expect(t, reduce(in.get(0), List.of(a.axis()), DType.I64));
            case MatMul m -> expect(t, matmul(in.get(0), in.get(1)));
            case Softmax s -> axesOk(s.axes(), in.get(0).rank()) ? expect(t, in.get(0)) : "bad axes " + s.axes();
            case LogSoftmax s -> axesOk(s.axes(), in.get(0).rank()) ? expect(t, in.get(0)) : "bad axes " + s.axes();
            case LogSumExp s -> expect(t, reduce(in.get(0), s.axes(), in.get(0).dtype()));
            case Conv2D c -> expect(t, conv(in.get(0), in.get(1), c.window()));
            case Conv2DInputGrad c -> t.rank() == 4 && expect(in.get(0), conv(t, in.get(1), c.window())) == null ? null
                    : "dy " + in.get(0) + " is not conv2d(" + t + ", " + in.get(1) + ")";
            case Conv2DKernelGrad c -> t.rank() == 4 && expect(in.get(1), conv(in.get(0), t, c.window())) == null ? null
                    : "dy " + in.get(1) + " is not conv2d(" + in.get(0) + ", " + t + ")";
            case MaxPool p -> expect(t, pool(in.get(0), p.pool()));
            case AvgPool p -> expect(t, pool(in.get(0), p.pool()));
            case MaxPoolSelect p -> expect(in.get(1), in.get(0)) == null ? expect(t, pool(in.get(0), p.pool())) : "g must be like x";
            case MaxPoolGrad p -> expect(in.get(1), pool(in.get(0), p.pool())) == null ? expect(t, in.get(0)) : "dy must be maxpool(x)'s shape";
            case AvgPoolGrad p -> t.rank() == 4 ? expect(in.get(0), pool(t, p.pool())) : "needs rank 4";
            case RandomUniform r -> in.get(0).rank() == 0 && in.get(0).dtype() == DType.I64 && t.dtype().isFloat()
                    ? null : "needs an i64 scalar key and a float result";
        };
    }

    /** The number of operands, or -1 for any (concat). */
    public static int arity(Op op) {
        return switch (op) {
            case Input i -> 0;
            case Constant c -> 0;
            case DimSize d -> 0;
            case Iota i -> 0;
            case Binary b -> 2;
            case Select s -> 3;
            case Concat c -> -1;
            case MatMul m -> 2;
            case Conv2D c -> 2;
            case Conv2DInputGrad c -> 2;
            case Conv2DKernelGrad c -> 2;
            case MaxPoolGrad p -> 2;
            case MaxPoolSelect p -> 2;
            default -> 1;
        };
    }

    // ---- rules that work the result type out ----

    public static TensorType transpose(TensorType x, List<Integer> perm) {
        if (perm.size() != x.rank() || new HashSet<>(perm).size() != perm.size()) return null;
        var s = new ArrayList<DimExpr>();
        for (int p : perm) {
            if (p < 0 || p >= x.rank()) return null;
            s.add(x.dim(p));
        }
        return x.withShape(s);
    }

    public static TensorType concat(int axis, List<TensorType> in) {
        if (in.isEmpty()) return null;
        var first = in.get(0);
        if (axis < 0 || axis >= first.rank()) return null;
        DimExpr total = DimExpr.constant(0);
        for (var p : in) {
            if (p.rank() != first.rank() || p.dtype() != first.dtype()) return null;
            for (int d = 0; d < p.rank(); d++) if (d != axis && !p.dim(d).equals(first.dim(d))) return null;
            total = total.plus(p.dim(axis));
        }
        var s = new ArrayList<>(first.shape());
        s.set(axis, total);
        return first.withShape(s);
    }

    public static TensorType reduce(TensorType x, List<Integer> axes, DType dtype) {
        if (!axesOk(axes, x.rank())) return null;
        var drop = new HashSet<>(axes);
        var s = new ArrayList<DimExpr>();
        for (int i = 0; i < x.rank(); i++) if (!drop.contains(i)) s.add(x.dim(i));
        return new TensorType(dtype, s);
    }

    public static TensorType matmul(TensorType a, TensorType b) {
        if (a.rank() < 2 || a.rank() != b.rank() || a.dtype() != b.dtype()) return null;
        int r = a.rank();
        if (!a.shape().subList(0, r - 2).equals(b.shape().subList(0, r - 2))) return null;
        if (!a.dim(r - 1).equals(b.dim(r - 2))) return null;
        var s = new ArrayList<>(a.shape().subList(0, r - 1));
        s.add(b.dim(r - 1));
        return a.withShape(s);
    }

    public static TensorType conv(TensorType x, TensorType k, Window w) {
        if (x.rank() != 4 || k.rank() != 4 || !x.dim(3).equals(k.dim(2)) || x.dtype() != k.dtype()) return null;
        return x.withShape(List.of(x.dim(0), windowOut(x.dim(1), k.dim(0), w.strideH(), w.dilationH(), w.same()),
                windowOut(x.dim(2), k.dim(1), w.strideW(), w.dilationW(), w.same()), k.dim(3)));
    }

    public static TensorType pool(TensorType x, Pool p) {
        if (x.rank() != 4) return null;
        return x.withShape(List.of(x.dim(0), windowOut(x.dim(1), DimExpr.constant(p.sizeH()), p.strideH(), 1, p.same()),
                windowOut(x.dim(2), DimExpr.constant(p.sizeW()), p.strideW(), 1, p.same()), x.dim(3)));
    }

    /** Output size of a window: "same" is ceil(in/s); "valid" is (in - d*(k-1) - 1)/s + 1. */
    public static DimExpr windowOut(DimExpr in, DimExpr k, long stride, long dilation, boolean same) {
        if (same) return in.plus(DimExpr.constant(stride - 1)).floorDiv(stride);
        DimExpr span = k.minus(ONE).times(DimExpr.constant(dilation)).plus(ONE);
        return in.minus(span).floorDiv(stride).plus(ONE);
    }

    public static boolean axesOk(List<Integer> axes, int rank) {
        var seen = new HashSet<Integer>();
        for (int a : axes) if (a < 0 || a >= rank || !seen.add(a)) return false;
        return true;
    }

    // ---- checks ----

    private static String expect(TensorType actual, TensorType expected) {
        if (expected == null) return "operands do not fit this op";
        return actual.equals(expected) ? null : "type should be " + expected;
    }

    private static boolean same(List<DimExpr> a, List<DimExpr> b) { return a.equals(b); }

    private static String unary(UnaryFn fn, TensorType x, TensorType t) {
        if (!x.equals(t)) return "type should be " + x;
        return switch (fn) {
            case NOT -> x.dtype() == DType.BOOL ? null : "needs bool";
            case NEG, ABS, SIGN, SQUARE, RELU, FLOOR, CEIL, ROUND -> x.dtype().isNumeric() ? null : "needs a number";
            default -> x.dtype().isFloat() ? null : "needs a float";
        };
    }

    private static String binary(BinaryFn fn, TensorType a, TensorType b, TensorType t) {
        if (!a.equals(b)) return "operands differ: " + a + " and " + b;
        if (fn.isComparison()) return t.equals(a.withDtype(DType.BOOL)) ? null : "type should be " + a.withDtype(DType.BOOL);
        if (fn.isLogical()) return a.dtype() == DType.BOOL && t.equals(a) ? null : "needs bool operands";
        if (!a.dtype().isNumeric()) return "needs numbers";
        return t.equals(a) ? null : "type should be " + a;
    }

    private static String broadcast(Broadcast b, TensorType x, TensorType t) {
        if (x.dtype() != t.dtype()) return "element type changes";
        if (b.dims().size() != x.rank()) return "needs one target axis per operand axis";
        int prev = -1;
        for (int i = 0; i < x.rank(); i++) {
            int d = b.dims().get(i);
            if (d <= prev || d >= t.rank()) return "target axes must increase and be in range";
            prev = d;
            if (!x.dim(i).equals(ONE) && !x.dim(i).equals(t.dim(d))) return "axis " + i + " (" + x.dim(i) + ") cannot stretch to " + t.dim(d);
        }
        return null;
    }

    private static String slice(Slice s, TensorType x, TensorType t) {
        if (x.dtype() != t.dtype() || s.start().size() != x.rank() || s.step().size() != x.rank() || t.rank() != x.rank()) {
            return "needs a start and a step per axis";
        }
        for (long st : s.step()) if (st == 0) return "step 0";
        return null;
    }

    private static String pad(Pad p, TensorType x, TensorType t) {
        if (x.dtype() != t.dtype() || p.low().size() != x.rank() || p.interior().size() != x.rank() || t.rank() != x.rank()) {
            return "needs a low and an interior padding per axis";
        }
        for (long i : p.interior()) if (i < 0) return "negative interior padding";
        return null;
    }
}
