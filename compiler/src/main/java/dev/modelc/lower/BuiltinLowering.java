package dev.modelc.lower;

import static dev.modelc.graph.Op.BinaryFn.*;
import static dev.modelc.graph.Op.UnaryFn.*;

import dev.modelc.check.Builtin;
import dev.modelc.check.Builtins;
import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.check.Type;
import dev.modelc.check.Typed;
import dev.modelc.check.Values;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.TypeRules;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers calls of built-in operations. The checker has already validated every argument, so
 * this only maps each built-in onto Graph IR ops: composite ones (mean, var, clip, one_hot,
 * leaky_relu, gelu's tanh form, dropout, the loss reduction) into primitives.
 */
final class BuiltinLowering {
    private final ExprLowering ex;

    BuiltinLowering(ExprLowering ex) { this.ex = ex; }

    /** One call's arguments by parameter name, with defaults. */
    private final class Args {
        final Map<String, Ast.Expr> exprs = new HashMap<>();
        final Builtin builtin;
        final Context cx;

        Args(Builtin builtin, Ast.Call c, Context cx) {
            this.builtin = builtin;
            this.cx = cx;
            int pos = 0;
            for (var a : c.args()) exprs.put(a.name() != null ? a.name() : builtin.parameters().get(pos++).name(), a.value());
        }

        boolean given(String p) { return exprs.containsKey(p); }

        Typed typed(String p) {
            var e = exprs.get(p);
            if (e != null) return cx.typed(e);
            return builtin.parameters().stream().filter(x -> x.name().equals(p)).findFirst().orElseThrow().defaultValue();
        }

        Object value(String p) { return typed(p).value(); }

        long integer(String p) { return Values.asLong(value(p)); }

        /** A tensor argument converted to {@code dtype}. */
        int tensor(String p, DType dtype) {
            var e = exprs.get(p);
            int id = e != null ? ex.tensor(e, cx) : ex.constant(value(p), dtype);
            return ex.coerce(id, dtype);
        }

        LValue lowered(String p) { return ex.lower(exprs.get(p), cx); }

        /**
         * Normalised axes of an {@code axis=} argument (int or tuple); when absent, the
         * parameter's default ({@code softmax}'s {@code axis=-1}), or all axes if it has none.
         */
        List<Integer> axes(String p, int rank) {
            var out = new ArrayList<Integer>();
            if (!given(p) && typed(p) == null) return allAxes(rank);
            Object v = value(p);
            List<?> items = v instanceof List<?> l ? l : List.of(v);
            for (Object o : items) {
                long a = Values.asLong(o);
                out.add((int) (a < 0 ? a + rank : a));
            }
            return out;
        }

        long[] pair(String p) {
            Object v = value(p);
            if (v instanceof List<?> l) return new long[] {Values.asLong(l.get(0)), Values.asLong(l.get(l.size() - 1))};
            long s = Values.asLong(v);
            return new long[] {s, s};
        }
    }

    LValue lower(String name, Ast.Call c, Context cx) {
        var builtin = Builtins.lookup(name).orElseThrow(() -> new IllegalStateException("no built-in " + name));
        var a = new Args(builtin, c, cx);
        var b = ex.b;
        Type resultType = cx.typed(c).type();
        if (!(resultType instanceof Type.Tensor)) return new LValue.Static(cx.typed(c).value());
        TensorType r = ExprLowering.typeOf(resultType);
        DType d = r.dtype();
        int id = switch (name) {
            case "exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "softplus", "abs", "square",
                 "sign", "relu" -> b.unary(UnaryFn.valueOf(name.toUpperCase(java.util.Locale.ROOT)), a.tensor("x", d));
            // Rounding an integer changes nothing.
            case "floor", "ceil", "round" -> d.isFloat()
                    ? b.unary(UnaryFn.valueOf(name.toUpperCase(java.util.Locale.ROOT)), a.tensor("x", d)) : a.tensor("x", d);
            case "gelu" -> a.value("approximate").equals("tanh") ? geluTanh(a.tensor("x", d)) : b.unary(GELU, a.tensor("x", d));
            case "leaky_relu" -> {
                int x = a.tensor("x", d);
                yield b.select(b.binaryBroadcast(GT, x, b.scalar(0, d)), x, b.mul(x, a.tensor("alpha", d)));
            }
            case "clip" -> {
                // min(max(x, lo), hi) as PyTorch's clamp: hi wins when lo > hi; NaN stays NaN.
                int x = a.tensor("x", d);
                int inner = b.select(b.binaryBroadcast(LT, x, a.tensor("lo", d)), a.tensor("lo", d), x);
                int hi = a.tensor("hi", d);
                yield b.select(b.binaryBroadcast(GT, inner, hi), hi, inner);
            }
            case "maximum", "minimum" -> b.binaryBroadcast(name.equals("maximum") ? MAX : MIN, a.tensor("a", d), a.tensor("b", d));
            case "where" -> b.select(a.tensor("condition", DType.BOOL), a.tensor("a", d), a.tensor("b", d));
            case "cast" -> ex.coerce(ex.tensor(a.exprs.get("x"), cx), d);
            case "sum", "prod", "max", "min" -> {
                int x = a.tensor("x", d);
                var axes = a.axes("axis", b.type(x).rank());
                var fn = ReduceFn.valueOf(name.toUpperCase(java.util.Locale.ROOT));
                yield b.reshape(b.reduce(fn, x, axes), r.shape());
            }
            case "mean" -> b.reshape(mean(a.tensor("x", d), a.axes("axis", a.typed("x").tensor().rank())), r.shape());
            case "logsumexp" -> {
                int x = a.tensor("x", d);
                yield b.reshape(b.logSumExp(x, a.axes("axis", b.type(x).rank())), r.shape());
            }
            case "var", "std" -> {
                int x = a.tensor("x", d);
                var axes = a.axes("axis", b.type(x).rank());
                int v = variance(x, axes, a.integer("ddof"));
                yield b.reshape(name.equals("std") ? b.unary(SQRT, v) : v, r.shape());
            }
            case "argmax", "argmin" -> {
                int x = ex.tensor(a.exprs.get("x"), cx);
                var t = b.type(x);
                int axis;
                if (a.given("axis")) {
                    axis = a.axes("axis", t.rank()).get(0);
                } else {
                    // Over all axes: the index into the flattened tensor, as NumPy gives.
                    x = b.reshape(x, List.of(t.size()));
                    axis = 0;
                }
                yield b.reshape(b.argReduce(name.equals("argmax"), x, axis), r.shape());
            }
            case "reshape", "flatten", "squeeze", "unsqueeze" -> b.reshape(ex.tensor(a.exprs.get("x"), cx), r.shape());
            case "transpose" -> {
                int x = ex.tensor(a.exprs.get("x"), cx);
                int rank = b.type(x).rank();
                var perm = new ArrayList<Integer>();
                if (a.given("axes")) perm.addAll(a.axes("axes", rank));
                else for (int i = rank - 1; i >= 0; i--) perm.add(i);
                yield b.transpose(x, perm);
            }
            case "concat", "stack" -> {
                var parts = ((LValue.Tuple) a.lowered("tensors")).elements();
                int rank = b.type(parts.get(0).id()).rank();
                long axis = a.integer("axis");
                boolean stack = name.equals("stack");
                int ax = (int) (axis < 0 ? axis + rank + (stack ? 1 : 0) : axis);
                var ids = new ArrayList<Integer>();
                for (var p : parts) {
                    int id0 = ex.coerce(p.id(), d);
                    if (stack) {
                        var s = new ArrayList<>(b.type(id0).shape());
                        s.add(ax, DimExpr.constant(1));
                        id0 = b.reshape(id0, s);
                    }
                    ids.add(id0);
                }
                yield b.concat(ids, ax);
            }
            case "broadcast_to" -> b.broadcastTo(a.tensor("x", d), r.shape());
            case "one_hot" -> {
                int y = ex.tensor(a.exprs.get("labels"), cx);
                var yt = b.type(y);
                var dims = new ArrayList<Integer>();
                for (int i = 0; i < yt.rank(); i++) dims.add(i);
                var shape = r.shape();
                int labels = b.broadcast(y, dims, shape);
                int classes = b.iota(shape.size() - 1, new TensorType(yt.dtype(), shape));
                yield b.convert(b.binary(EQ, labels, classes), d);
            }
            case "matmul" -> ex.matmul(ex.tensor(a.exprs.get("a"), cx), ex.tensor(a.exprs.get("b"), cx), r);
            case "softmax", "log_softmax" -> {
                int x = a.tensor("x", d);
                var t = b.type(x);
                if (t.rank() == 0) {
                    int one = b.reshape(x, List.of(DimExpr.constant(1)));
                    int s = name.equals("softmax") ? b.softmax(one, List.of(0)) : b.logSoftmax(one, List.of(0));
                    yield b.reshape(s, List.of());
                }
                var axes = a.axes("axis", t.rank());
                yield name.equals("softmax") ? b.softmax(x, axes) : b.logSoftmax(x, axes);
            }
            case "conv2d" -> {
                long[] s = a.pair("stride");
                long[] dil = a.pair("dilation");
                var w = new Op.Window(s[0], s[1], dil[0], dil[1], a.value("padding").equals("same"));
                int x = a.tensor("x", d);
                int k = a.tensor("kernel", d);
                yield b.emit(new Op.Conv2D(w), List.of(x, k), TypeRules.conv(b.type(x), b.type(k), w));
            }
            case "maxpool2d", "avgpool2d" -> {
                long[] size = a.pair("size");
                long[] s = a.given("stride") ? a.pair("stride") : size;
                var p = new Op.Pool(size[0], size[1], s[0], s[1], a.value("padding").equals("same"));
                int x = a.tensor("x", d);
                Op op = name.equals("maxpool2d") ? new Op.MaxPool(p) : new Op.AvgPool(p);
                yield b.emit(op, List.of(x), TypeRules.pool(b.type(x), p));
            }
            case "dropout" -> dropout(a.tensor("x", d), Values.asDouble(a.value("p")));
            case "reduce_loss" -> {
                int x = a.tensor("x", d);
                var all = allAxes(b.type(x).rank());
                yield switch ((String) a.value("reduction")) {
                    case "mean" -> mean(x, all);
                    case "sum" -> b.reduce(ReduceFn.SUM, x, all);
                    default -> x;
                };
            }
            default -> throw new IllegalStateException("no lowering for built-in " + name);
        };
        return new LValue.Value(id);
    }

    private static List<Integer> allAxes(int rank) {
        var out = new ArrayList<Integer>();
        for (int i = 0; i < rank; i++) out.add(i);
        return out;
    }

    /** Mean over axes: the sum divided by the (possibly symbolic) count. */
    private int mean(int x, List<Integer> axes) {
        var b = ex.b;
        var t = b.type(x);
        DimExpr count = DimExpr.constant(1);
        for (int a : axes) count = count.times(t.dim(a));
        int sum = b.reduce(ReduceFn.SUM, x, axes);
        return b.div(sum, ex.constant(count, t.dtype()));
    }

    /** Mean of squared deviations, divided by N - ddof. */
    private int variance(int x, List<Integer> axes, long ddof) {
        var b = ex.b;
        var t = b.type(x);
        DimExpr count = DimExpr.constant(1);
        for (int a : axes) count = count.times(t.dim(a));
        int m = b.broadcastTo(b.reshape(mean(x, axes), GraphBuilder.keptShape(t.shape(), axes)), t.shape());
        int dev = b.sub(x, m);
        int ss = b.reduce(ReduceFn.SUM, b.unary(SQUARE, dev), axes);
        return b.div(ss, ex.constant(count.minus(DimExpr.constant(ddof)), t.dtype()));
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), PyTorch's approximate="tanh". */
    private int geluTanh(int x) {
        var b = ex.b;
        var d = b.type(x).dtype();
        int cube = b.mul(x, b.unary(SQUARE, x));
        int inner = b.scale(b.add(x, b.scale(cube, 0.044715)), Math.sqrt(2 / Math.PI));
        return b.mul(b.scale(x, 0.5), b.add(b.scalar(1, d), b.unary(TANH, inner)));
    }

    /** Inverted dropout in the training step: keep with probability 1 - p and scale by 1/(1 - p); identity elsewhere. */
    private int dropout(int x, double p) {
        var b = ex.b;
        if (!ex.training || p == 0) return x;
        var t = b.type(x);
        int u = b.emit(new Op.RandomUniform(ex.nextStream()), List.of(ex.randomKey()), t);
        int keep = b.binaryBroadcast(GE, u, b.scalar(p, t.dtype()));
        int mask = b.scale(b.convert(keep, t.dtype()), 1 / (1 - p));
        return b.mul(x, mask);
    }
}
