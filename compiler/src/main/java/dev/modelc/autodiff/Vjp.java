package dev.modelc.autodiff;

import static dev.modelc.graph.Op.BinaryFn.*;
import static dev.modelc.graph.Op.UnaryFn.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector-Jacobian product of every differentiable op, written as Graph IR: given a node and
 * the cotangent {@code g} of its result, the cotangent of each operand that is {@code wanted}
 * (null for an operand with zero derivative). Formulas follow PyTorch's derivatives where a
 * choice exists (ties of maximum split the gradient in half; max/min reductions share it among
 * tied elements; relu'(0) = 0).
 */
final class Vjp {
    private Vjp() {}

    static Integer[] of(GraphBuilder b, Node n, int g, boolean[] wanted) {
        var out = new Integer[n.inputs().size()];
        int y = n.id();
        int x = n.input(0);
        switch (n.op()) {
            case Unary u -> out[0] = unary(b, u.fn(), x, y, g);
            case Binary bin -> binary(b, bin.fn(), n.input(0), n.input(1), y, g, wanted, out);
            case Select s -> {
                int zero = b.zerosLike(g);
                if (wanted[1]) out[1] = b.select(n.input(0), g, zero);
                if (wanted[2]) out[2] = b.select(n.input(0), zero, g);
            }
            case Convert c -> out[0] = b.convert(g, b.type(x).dtype());
            case Broadcast br -> out[0] = unbroadcast(b, g, br.dims(), b.type(x));
            case Reshape r -> out[0] = b.reshape(g, b.type(x).shape());
            case Transpose t -> out[0] = b.transpose(g, inverse(t.perm()));
            case Slice s -> out[0] = unslice(b, s, g, b.type(x));
            case Pad p -> out[0] = unpad(b, p, g, b.type(x));
            case Concat c -> {
                DimExpr offset = DimExpr.constant(0);
                for (int i = 0; i < n.inputs().size(); i++) {
                    var t = b.type(n.input(i));
                    if (wanted[i]) {
                        var start = new ArrayList<DimExpr>();
                        var step = new ArrayList<Long>();
                        for (int a = 0; a < t.rank(); a++) {
                            start.add(a == c.axis() ? offset : DimExpr.constant(0));
                            step.add(1L);
                        }
                        out[i] = b.slice(g, start, step, t.shape());
                    }
                    offset = offset.plus(t.dim(c.axis()));
                }
            }
            case Reduce r -> out[0] = reduce(b, r, x, y, g);
            case MatMul m -> {
                int r = b.type(y).rank();
                var swap = swapLast(r);
                if (wanted[0]) out[0] = b.matmul(g, b.transpose(n.input(1), swap));
                if (wanted[1]) out[1] = b.matmul(b.transpose(n.input(0), swap), g);
            }
            case Softmax s -> {
                // dx = y * (g - sum(g * y))
                int gy = b.mul(g, y);
                out[0] = b.mul(y, b.sub(g, b.sumKeep(gy, s.axes())));
            }
            case LogSoftmax s -> out[0] = b.sub(g, b.mul(b.unary(EXP, y), b.sumKeep(g, s.axes())));
            case LogSumExp s -> {
                var xt = b.type(x);
                var dims = kept(xt.rank(), s.axes());
                int yb = b.broadcast(y, dims, xt.shape());
                out[0] = b.mul(b.broadcast(g, dims, xt.shape()), b.unary(EXP, b.sub(x, yb)));
            }
            case Conv2D c -> {
                if (wanted[0]) out[0] = b.emit(new Conv2DInputGrad(c.window()), List.of(g, n.input(1)), b.type(n.input(0)));
                if (wanted[1]) out[1] = b.emit(new Conv2DKernelGrad(c.window()), List.of(n.input(0), g), b.type(n.input(1)));
            }
            case Conv2DInputGrad c -> {
                // dx = A_k^T dy is linear in dy and in k.
                if (wanted[0]) out[0] = b.emit(new Conv2D(c.window()), List.of(g, n.input(1)), b.type(n.input(0)));
                if (wanted[1]) out[1] = b.emit(new Conv2DKernelGrad(c.window()), List.of(g, n.input(0)), b.type(n.input(1)));
            }
            case Conv2DKernelGrad c -> {
                if (wanted[0]) out[0] = b.emit(new Conv2DInputGrad(c.window()), List.of(n.input(1), g), b.type(n.input(0)));
                if (wanted[1]) out[1] = b.emit(new Conv2D(c.window()), List.of(n.input(0), g), b.type(n.input(1)));
            }
            case MaxPool p -> out[0] = b.emit(new MaxPoolGrad(p.pool()), List.of(x, g), b.type(x));
            // The selection is piecewise constant in x: only the routed values carry a derivative.
            case MaxPoolGrad p -> {
                if (wanted[1]) out[1] = b.emit(new MaxPoolSelect(p.pool()), List.of(x, g), b.type(n.input(1)));
            }
            case MaxPoolSelect p -> {
                if (wanted[1]) out[1] = b.emit(new MaxPoolGrad(p.pool()), List.of(x, g), b.type(n.input(1)));
            }
            case AvgPool p -> out[0] = b.emit(new AvgPoolGrad(p.pool()), List.of(g), b.type(x));
            case AvgPoolGrad p -> out[0] = b.emit(new AvgPool(p.pool()), List.of(g), b.type(x));
            // No derivative: integer results, or values that do not depend on the operands continuously.
            default -> { }
        }
        return out;
    }

    private static Integer unary(GraphBuilder b, UnaryFn fn, int x, int y, int g) {
        DType d = b.type(x).dtype();
        return switch (fn) {
            case NEG -> b.unary(NEG, g);
            case ABS -> b.mul(g, b.unary(SIGN, x));
            case EXP -> b.mul(g, y);
            case LOG -> b.div(g, x);
            case LOG1P -> b.div(g, b.add(x, b.scalar(1, d)));
            case SQRT -> b.div(g, b.scale(y, 2));
            // d/dx x^(-1/2) = -x^(-3/2)/2 = -y^3/2
            case RSQRT -> b.mul(g, b.scale(b.mul(y, b.unary(SQUARE, y)), -0.5));
            case SQUARE -> b.mul(g, b.scale(x, 2));
            case SIN -> b.mul(g, b.unary(COS, x));
            case COS -> b.unary(NEG, b.mul(g, b.unary(SIN, x)));
            case TANH -> b.mul(g, b.sub(b.scalar(1, d), b.unary(SQUARE, y)));
            case SIGMOID -> b.mul(g, b.mul(y, b.sub(b.scalar(1, d), y)));
            case SOFTPLUS -> b.mul(g, b.unary(SIGMOID, x));
            case RELU -> b.select(b.binaryBroadcast(GT, x, b.scalar(0, d)), g, b.zerosLike(g));
            // erf'(x) = 2/sqrt(pi) * exp(-x^2)
            case ERF -> b.mul(g, b.scale(b.unary(EXP, b.unary(NEG, b.unary(SQUARE, x))), 2 / Math.sqrt(Math.PI)));
            // gelu'(x) = Phi(x) + x * phi(x), Phi(x) = (1 + erf(x/sqrt 2))/2, phi(x) = exp(-x^2/2)/sqrt(2 pi)
            case GELU -> {
                int cdf = b.scale(b.add(b.scalar(1, d), b.unary(ERF, b.scale(x, 1 / Math.sqrt(2)))), 0.5);
                int pdf = b.scale(b.unary(EXP, b.scale(b.unary(SQUARE, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
                yield b.mul(g, b.add(cdf, b.mul(x, pdf)));
            }
            // Zero almost everywhere: sign, floor, ceil, round. NOT is boolean.
            case SIGN, FLOOR, CEIL, ROUND, NOT -> null;
        };
    }

    private static void binary(GraphBuilder b, BinaryFn fn, int l, int r, int y, int g, boolean[] wanted, Integer[] out) {
        DType d = b.type(l).dtype();
        switch (fn) {
            case ADD -> {
                out[0] = g;
                out[1] = g;
            }
            case SUB -> {
                out[0] = g;
                if (wanted[1]) out[1] = b.unary(NEG, g);
            }
            case MUL -> {
                if (wanted[0]) out[0] = b.mul(g, r);
                if (wanted[1]) out[1] = b.mul(g, l);
            }
            case DIV -> {
                if (wanted[0]) out[0] = b.div(g, r);
                if (wanted[1]) out[1] = b.unary(NEG, b.div(b.mul(g, l), b.mul(r, r)));
            }
            case POW -> {
                if (wanted[0]) {
                    // r * l^(r-1), taken as 0 where r = 0 (l^-1 would make it NaN at l = 0), as PyTorch does
                    int slope = b.mul(r, b.binary(POW, l, b.sub(r, b.scalar(1, d))));
                    out[0] = b.mul(g, b.select(b.binaryBroadcast(EQ, r, b.scalar(0, d)), b.zerosLike(g), slope));
                }
                if (wanted[1]) {
                    // d/dr l^r = l^r log l, taken as 0 where l = 0 and r >= 0 (as PyTorch does).
                    int zero = b.zerosLike(g);
                    int mask = b.binary(AND, b.binary(EQ, l, zero), b.binary(GE, r, zero));
                    out[1] = b.select(mask, zero, b.mul(g, b.mul(y, b.unary(LOG, l))));
                }
            }
            case MOD -> {
                out[0] = g;
                if (wanted[1]) out[1] = b.unary(NEG, b.mul(g, b.unary(FLOOR, b.div(l, r))));
            }
            case MAX, MIN -> {
                BinaryFn wins = fn == MAX ? GT : LT;
                int zero = b.zerosLike(g);
                int half = b.scale(g, 0.5);
                int tie = b.binary(EQ, l, r);
                if (wanted[0]) out[0] = b.select(b.binary(wins, l, r), g, b.select(tie, half, zero));
                if (wanted[1]) out[1] = b.select(b.binary(wins, r, l), g, b.select(tie, half, zero));
            }
            default -> { }
        }
    }

    /** Sums g over the axes a broadcast created or stretched, back to the operand's shape. */
    static int unbroadcast(GraphBuilder b, int g, List<Integer> dims, TensorType x) {
        var gt = b.type(g);
        var axes = new ArrayList<Integer>();
        var keptShape = new ArrayList<DimExpr>();
        for (int a = 0; a < gt.rank(); a++) {
            int i = dims.indexOf(a);
            if (i < 0) axes.add(a);
            else if (!x.dim(i).equals(gt.dim(a))) axes.add(a);
        }
        int s = b.reduce(ReduceFn.SUM, g, axes);
        for (var d : x.shape()) keptShape.add(d);
        return b.reshape(s, keptShape);
    }

    /**
     * d/dx_i prod = the product of the other elements of x_i's group. Computed as it is defined,
     * not as prod / x_i (NaN at a zero): the group is laid out along one axis of length n,
     * copied n times, the diagonal set to 1, and each copy multiplied out. That costs n^2 per
     * group, but is exact with any number of zeros and can be differentiated again (the mask
     * is a select on indices).
     */
    private static int prodGrad(GraphBuilder b, Reduce r, int x, int gb) {
        var xt = b.type(x);
        var kept = kept(xt.rank(), r.axes());
        var reduced = r.axes().stream().sorted().toList();
        var perm = new ArrayList<Integer>(kept);
        perm.addAll(reduced);
        var keptShape = new ArrayList<DimExpr>();
        for (int a : kept) keptShape.add(xt.dim(a));
        DimExpr n = DimExpr.constant(1);
        for (int a : reduced) n = n.times(xt.dim(a));
        int k = kept.size();
        var rows = new ArrayList<>(keptShape);
        rows.add(n);
        var square = new ArrayList<>(rows);
        square.add(n);
        int flat = b.reshape(b.transpose(x, perm), rows);
        var dims = new ArrayList<Integer>();
        for (int i = 0; i < k; i++) dims.add(i);
        dims.add(k + 1);
        int copies = b.broadcast(flat, dims, square);
        var indexType = new TensorType(DType.I64, square);
        int diagonal = b.binary(EQ, b.iota(k, indexType), b.iota(k + 1, indexType));
        int others = b.reduce(ReduceFn.PROD, b.select(diagonal, b.scalar(1, xt.dtype()), copies), List.of(k + 1));
        var permuted = new ArrayList<DimExpr>(keptShape);
        for (int a : reduced) permuted.add(xt.dim(a));
        var inverse = new Integer[perm.size()];
        for (int i = 0; i < perm.size(); i++) inverse[perm.get(i)] = i;
        return b.mul(gb, b.transpose(b.reshape(others, permuted), List.of(inverse)));
    }

    private static int reduce(GraphBuilder b, Reduce r, int x, int y, int g) {
        var xt = b.type(x);
        var dims = kept(xt.rank(), r.axes());
        int gb = b.broadcast(g, dims, xt.shape());
        return switch (r.fn()) {
            case SUM -> gb;
            case PROD -> prodGrad(b, r, x, gb);
            case MAX, MIN -> {
                // The gradient is shared evenly among the elements equal to the extreme value.
                int mask = b.binary(EQ, x, b.broadcast(y, dims, xt.shape()));
                // A select, not a cast of the mask: a select's condition is not differentiated, so
                // differentiating this rule again (second order) does not run into bool values.
                int ones = b.select(mask, b.scalar(1, xt.dtype()), b.scalar(0, xt.dtype()));
                int count = b.broadcast(b.reduce(ReduceFn.SUM, ones, r.axes()), dims, xt.shape());
                yield b.mul(b.div(gb, count), ones);
            }
        };
    }

    /** The transpose of a slice: g padded back into the operand's shape. */
    private static int unslice(GraphBuilder b, Slice s, int g, TensorType x) {
        var gt = b.type(g);
        var low = new ArrayList<DimExpr>();
        var interior = new ArrayList<Long>();
        int cur = g;
        for (int a = 0; a < x.rank(); a++) {
            long step = s.step().get(a);
            DimExpr start = s.start().get(a);
            if (step < 0) {
                // Reverse this axis of g so the elements come in increasing order.
                var rs = new ArrayList<DimExpr>();
                var rstep = new ArrayList<Long>();
                var ct = b.type(cur);
                for (int k = 0; k < ct.rank(); k++) {
                    rs.add(k == a ? ct.dim(k).minus(DimExpr.constant(1)) : DimExpr.constant(0));
                    rstep.add(k == a ? -1L : 1L);
                }
                cur = b.slice(cur, rs, rstep, ct.shape());
                start = start.minus(gt.dim(a).minus(DimExpr.constant(1)).times(DimExpr.constant(-step)));
            }
            low.add(start);
            interior.add(Math.abs(step) - 1);
        }
        return b.pad(cur, low, interior, x.shape());
    }

    /**
     * The transpose of a pad: the elements of g where the operand's went (every interior+1 from
     * low), a slice. Negative padding crops elements off, and their gradient is zero: g is first
     * padded with zeros by as much as was cropped on each side, so the slice stays inside it.
     * (Symbolic paddings are taken as non-negative.)
     */
    private static int unpad(GraphBuilder b, Pad p, int g, TensorType x) {
        var gt = b.type(g);
        var start = new ArrayList<DimExpr>();
        var step = new ArrayList<Long>();
        var extraLow = new ArrayList<DimExpr>();
        var noInterior = new ArrayList<Long>();
        var widened = new ArrayList<DimExpr>();
        boolean crops = false;
        for (int a = 0; a < x.rank(); a++) {
            long interior = p.interior().get(a);
            DimExpr low = p.low().get(a);
            // What the operand's n elements span, n + (n-1)*interior; the rest of g is low and high padding.
            DimExpr span = x.dim(a).plus(x.dim(a).minus(DimExpr.constant(1)).times(DimExpr.constant(interior)));
            DimExpr high = gt.dim(a).minus(low).minus(span);
            long cutLow = cropped(low), cutHigh = cropped(high);
            crops |= cutLow + cutHigh > 0;
            start.add(low.plus(DimExpr.constant(cutLow)));
            step.add(interior + 1);
            extraLow.add(DimExpr.constant(cutLow));
            noInterior.add(0L);
            widened.add(gt.dim(a).plus(DimExpr.constant(cutLow + cutHigh)));
        }
        int src = crops ? b.pad(g, extraLow, noInterior, widened) : g;
        return b.slice(src, start, step, x.shape());
    }

    /** How many elements a padding amount crops: its negative part when it is a constant. */
    private static long cropped(DimExpr padding) {
        var v = padding.constantValue();
        return v.isPresent() ? Math.max(0, -v.getAsLong()) : 0;
    }

    /** Operand axes that survive a reduction over {@code axes}, as broadcast target axes. */
    static List<Integer> kept(int rank, List<Integer> axes) {
        var out = new ArrayList<Integer>();
        for (int a = 0; a < rank; a++) if (!axes.contains(a)) out.add(a);
        return out;
    }

    private static List<Integer> inverse(List<Integer> perm) {
        var inv = new Integer[perm.size()];
        for (int i = 0; i < perm.size(); i++) inv[perm.get(i)] = i;
        return List.of(inv);
    }

    private static List<Integer> swapLast(int rank) {
        var p = new ArrayList<Integer>();
        for (int i = 0; i < rank; i++) p.add(i);
        p.set(rank - 2, rank - 1);
        p.set(rank - 1, rank - 2);
        return p;
    }
}
