package dev.modelc.opt;

import static dev.modelc.opt.Rewriter.KEEP;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.TypeRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules on the ops that move elements about (transpose, reshape, broadcast) and on reductions:
 * chains collapse into one op, ops that move nothing vanish, and a reduction over axes that a
 * broadcast made works on the value before the broadcast.
 *
 * <p>All are exact but one: {@code reduce_sum} over axes a broadcast created or stretched becomes
 * the pre-broadcast value (summed over its own reduced axes) times the number of copies. That is
 * equal in real arithmetic only: the interpreter adds the copies one by one in double, so the
 * rewrite is bit-exact for integers (wrap-around is associative) and for f32 when only copies are
 * summed (fewer than 2^29 of them, and the value is not -0.0, whose sum is +0.0); otherwise it may
 * differ in the last bits, as any other order of summation would. It is applied only when the
 * count is exactly representable in the element type: at most 2^24 for f32 and 2^53 for f64 when
 * constant, and assumed so for a symbolic count such as the batch size.
 */
final class ShapeRules {
    private ShapeRules() {}

    private static final DimExpr ONE = DimExpr.constant(1);

    static int rewrite(Node n, Rewriter r) {
        return switch (n.op()) {
            case Transpose t -> transpose(t.perm(), n, r);
            case Reshape s -> reshape(n, r);
            case Broadcast b -> broadcast(b.dims(), n, r);
            case Reduce red -> reduce(red, n, r);
            case ArgReduce a -> r.type(n.input(0)).dim(a.axis()).equals(ONE) ? r.constant(0, n.type()) : KEEP; // the only index is 0
            default -> KEEP;
        };
    }

    private static int transpose(List<Integer> perm, Node n, Rewriter r) {
        int x = n.input(0);
        if (isIdentity(perm)) return x;
        Node in = r.node(x);
        if (in.op() instanceof Transpose(List<Integer> inner)) {
            var composed = perm.stream().map(inner::get).toList(); // result axis i is operand axis inner[perm[i]]
            return r.emit(new Transpose(composed), List.of(in.input(0)), n.type());
        }
        // moving only size-1 axes keeps the C order of the elements
        var t = r.type(x);
        int last = -1;
        for (int p : perm) {
            if (t.dim(p).equals(ONE)) continue;
            if (p < last) return KEEP;
            last = p;
        }
        return r.emit(new Reshape(), List.of(x), n.type());
    }

    private static int reshape(Node n, Rewriter r) {
        int x = n.input(0);
        if (r.type(x).equals(n.type())) return x;
        Node in = r.node(x);
        return in.op() instanceof Reshape ? r.emit(n.op(), List.of(in.input(0)), n.type()) : KEEP;
    }

    private static int broadcast(List<Integer> dims, Node n, Rewriter r) {
        int x = n.input(0);
        if (r.type(x).equals(n.type())) return x; // same rank, so the target axes are 0, 1, …
        Node in = r.node(x);
        if (in.op() instanceof Broadcast(List<Integer> inner)) {
            // operand axis i went to axis inner[i], which goes to dims[inner[i]]
            return r.emit(new Broadcast(inner.stream().map(dims::get).toList()), List.of(in.input(0)), n.type());
        }
        if (in.op() instanceof Reshape) {
            var placed = insertedOnes(r.type(in.input(0)).shape(), r.type(x).shape());
            if (placed != null) return r.emit(new Broadcast(placed.stream().map(dims::get).toList()), List.of(in.input(0)), n.type());
        }
        return KEEP;
    }

    /**
     * Where each axis of {@code from} sits in {@code to} when {@code to} is {@code from} with size-1
     * axes inserted (so a reshape between them moves nothing), else null.
     */
    static List<Integer> insertedOnes(List<DimExpr> from, List<DimExpr> to) {
        var at = new ArrayList<Integer>();
        for (int j = 0; j < to.size(); j++) {
            if (at.size() < from.size() && from.get(at.size()).equals(to.get(j))) at.add(j);
            else if (!to.get(j).equals(ONE)) return null;
        }
        return at.size() == from.size() ? at : null;
    }

    private static int reduce(Reduce red, Node n, Rewriter r) {
        int x = n.input(0);
        var t = r.type(x);
        boolean allOnes = red.axes().stream().allMatch(a -> t.dim(a).equals(ONE));
        // one element: max(-inf, x), min(+inf, x) and 1*x are x, but the sum 0.0 + x is +0.0 for x = -0.0
        if (allOnes && (red.fn() != ReduceFn.SUM || ZeroSign.neverNegativeZero(x, r))) {
            return r.emit(new Reshape(), List.of(x), n.type());
        }
        if (r.node(x).op() instanceof Broadcast b && red.fn() != ReduceFn.PROD) return reduceBroadcast(red, b, n, r);
        return KEEP;
    }

    /** {@code reduce(broadcast(v))}: reduce v over its own axes; the copies count (sum) or vanish (max, min). */
    private static int reduceBroadcast(Reduce red, Broadcast b, Node n, Rewriter r) {
        int y = n.input(0);
        int v = r.node(y).inputs().getFirst();
        TensorType vt = r.type(v), yt = r.type(y);
        var vAxes = new ArrayList<Integer>();
        DimExpr copies = ONE;
        boolean copied = false;
        for (int axis : red.axes()) {
            int i = b.dims().indexOf(axis);
            if (i >= 0) vAxes.add(i);
            if (i < 0 || !vt.dim(i).equals(yt.dim(axis))) {
                copies = copies.times(yt.dim(axis));
                copied = true;
            }
        }
        if (!copied || (red.fn() == ReduceFn.SUM && !exactCount(copies, vt.dtype()))) return KEEP;
        int reduced = vAxes.isEmpty() ? v : r.emit(new Reduce(red.fn(), vAxes), List.of(v), TypeRules.reduce(vt, vAxes, vt.dtype()));
        if (red.fn() == ReduceFn.SUM && !copies.equals(ONE)) reduced = r.binary(BinaryFn.MUL, reduced, count(copies, r.type(reduced), r));
        // the axes of v that remain go where the broadcast put them, among the axes the reduction keeps
        var kept = new ArrayList<Integer>();
        for (int a = 0; a < yt.rank(); a++) if (!red.axes().contains(a)) kept.add(a);
        var dims = new ArrayList<Integer>();
        for (int i = 0; i < vt.rank(); i++) if (!vAxes.contains(i)) dims.add(kept.indexOf(b.dims().get(i)));
        return r.emit(new Broadcast(dims), List.of(reduced), n.type());
    }

    private static boolean exactCount(DimExpr count, DType d) {
        var c = count.constantValue();
        if (c.isPresent() && c.getAsLong() <= 0) return false; // an empty sum is 0, but 0 * inf is NaN
        return switch (d) {
            case I32, I64 -> true;
            case F32 -> c.isEmpty() || c.getAsLong() <= 1L << 24;
            case F64 -> c.isEmpty() || c.getAsLong() <= 1L << 53;
            default -> false;
        };
    }

    /** The count as a fill of type {@code t}: a constant, or the run-time {@code dim_size} broadcast. */
    private static int count(DimExpr c, TensorType t, Rewriter r) {
        if (c.constantValue().isPresent()) return r.constant(c.constantValue().getAsLong(), t);
        int size = r.emit(new DimSize(c), List.of(), TensorType.scalar(t.dtype()));
        return r.emit(new Broadcast(List.of()), List.of(size), t);
    }

    private static boolean isIdentity(List<Integer> perm) {
        for (int i = 0; i < perm.size(); i++) if (perm.get(i) != i) return false;
        return true;
    }
}
