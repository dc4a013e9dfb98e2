package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The value of a node at an index, as a Loop IR expression: a load when the node has a buffer,
 * otherwise its op applied to its operands' values at the indices the op maps to (broadcast,
 * transpose, slice, pad and concat only move indices around).
 */
final class Pointwise {
    private final KernelContext cx;

    /** Nodes read from a buffer other than their own (a matmul read by its epilogue from the kernel's output). */
    private final java.util.Map<Integer, Integer> bound = new java.util.HashMap<>();

    Pointwise(KernelContext cx) { this.cx = cx; }

    /** From now on node {@code id} is read from {@code buffer}, which has its shape and type. */
    void bindToBuffer(int id, int buffer) { bound.put(id, buffer); }

    void clearBindings() { bound.clear(); }

    /** The node's value: loaded from its buffer when it has one, else computed. */
    Expr value(int id, List<Expr> index) {
        var n = cx.node(id);
        Integer at = bound.get(id);
        if (at != null) return new Expr.Load(at, Ix.linear(index, n.type().shape()), LType.scalar(n.type().dtype()));
        int buffer = cx.buffer(id);
        if (buffer >= 0) return new Expr.Load(buffer, Ix.linear(index, n.type().shape()), LType.scalar(n.type().dtype()));
        return compute(id, index);
    }

    /** The node's op applied to its operands' values (the body of the kernel that stores it). */
    Expr compute(int id, List<Expr> index) {
        var n = cx.node(id);
        var shape = n.type().shape();
        DType t = n.type().dtype();
        var in = n.inputs();
        return switch (n.op()) {
            case Op.Constant c -> new Expr.Const(t, c.value());
            case Op.DimSize d -> new Expr.Cast(Ix.dim(d.dim()), LType.scalar(t));
            case Op.Iota i -> new Expr.Cast(index.get(i.axis()), LType.scalar(t));
            case Op.Unary u -> new Expr.Unary(u.fn(), value(in.get(0), index));
            case Op.Binary b -> new Expr.Binary(b.fn(), value(in.get(0), index), value(in.get(1), index), LType.scalar(t));
            case Op.Select s -> new Expr.Select(value(in.get(0), index), value(in.get(1), index), value(in.get(2), index));
            case Op.Convert c -> KernelContext.cast(value(in.get(0), index), t);
            case Op.Broadcast b -> value(in.get(0), broadcast(b, in.get(0), index));
            case Op.Reshape r -> value(in.get(0), reshape(index, shape, cx.node(in.get(0)).type().shape(), cx.buffer(in.get(0)) >= 0));
            case Op.Transpose tr -> {
                var out = new Expr[index.size()];
                for (int i = 0; i < index.size(); i++) out[tr.perm().get(i)] = index.get(i);
                yield value(in.get(0), Arrays.asList(out));
            }
            case Op.Slice s -> {
                var out = new ArrayList<Expr>();
                for (int i = 0; i < index.size(); i++) out.add(Ix.add(Ix.dim(s.start().get(i)), Ix.mul(index.get(i), Ix.idx(s.step().get(i)))));
                yield value(in.get(0), out);
            }
            case Op.Pad p -> pad(p, in.get(0), index, shape, t);
            case Op.Concat c -> concat(c, in, index, t);
            case Op.RandomUniform r -> new Expr.Call(Expr.Intrinsic.RANDOM_UNIFORM,
                    List.of(value(in.get(0), List.of()), Ix.idx(r.stream()), Ix.linear(index, shape)), LType.scalar(t));
            default -> throw new IllegalStateException("%" + id + " (" + n.op() + ") should have a buffer");
        };
    }

    /** Operand axis i reads result axis dims[i], or 0 where the operand's axis has size 1 (stretched). */
    private List<Expr> broadcast(Op.Broadcast b, int operand, List<Expr> index) {
        var shape = cx.node(operand).type().shape();
        var out = new ArrayList<Expr>();
        for (int i = 0; i < shape.size(); i++) {
            boolean one = shape.get(i).constantValue().orElse(-1) == 1;
            out.add(one ? Ix.idx(0) : index.get(b.dims().get(i)));
        }
        return out;
    }

    /**
     * The operand index of a reshape: the same C-order offset. When the operand has a buffer, a
     * one-axis index holding that offset is enough (the load linearises it again to itself).
     */
    private static List<Expr> reshape(List<Expr> index, List<DimExpr> shape, List<DimExpr> operand, boolean buffered) {
        Expr offset = Ix.linear(index, shape);
        var out = new ArrayList<Expr>();
        if (buffered) {
            for (int i = 0; i + 1 < operand.size(); i++) out.add(Ix.idx(0));
            if (!operand.isEmpty()) out.add(offset);
            return out;
        }
        for (int i = 0; i < operand.size(); i++) {
            Expr stride = Ix.idx(1);
            for (int j = i + 1; j < operand.size(); j++) stride = Ix.mul(stride, Ix.dim(operand.get(j)));
            out.add(Ix.mod(Ix.div(offset, stride), Ix.dim(operand.get(i))));
        }
        return out;
    }

    /**
     * Result position j on an axis comes from operand position (j - low) / (interior + 1) when
     * that divides evenly and lies inside the operand; elsewhere the value is 0. The load's index
     * is clamped into the operand so that it is safe to evaluate either way.
     */
    private Expr pad(Op.Pad p, int operand, List<Expr> index, List<DimExpr> result, DType t) {
        var shape = cx.node(operand).type().shape();
        var at = new ArrayList<Expr>();
        Expr valid = null;
        for (int i = 0; i < index.size(); i++) {
            long gap = p.interior().get(i) + 1;
            Expr j = Ix.sub(index.get(i), Ix.dim(p.low().get(i)));
            Expr q = Ix.div(j, Ix.idx(gap));
            Expr size = Ix.dim(shape.get(i));
            boolean trivial = p.low().get(i).equals(DimExpr.constant(0)) && gap == 1 && shape.get(i).equals(result.get(i));
            if (!trivial) {
                valid = Ix.and(valid, Ix.and(Ix.cmp(BinaryFn.GE, j, Ix.idx(0)), Ix.cmp(BinaryFn.LT, q, size)));
                if (gap > 1) valid = Ix.and(valid, Ix.cmp(BinaryFn.EQ, Ix.mod(j, Ix.idx(gap)), Ix.idx(0)));
                q = Ix.max(Ix.idx(0), Ix.min(q, Ix.sub(size, Ix.idx(1))));
            }
            at.add(q);
        }
        Expr v = value(operand, at);
        return valid == null ? v : new Expr.Select(valid, v, new Expr.Const(t, 0));
    }

    /** Nested selects on the concat axis position; each branch reads its operand at a clamped index. */
    private Expr concat(Op.Concat c, List<Integer> operands, List<Expr> index, DType t) {
        int axis = c.axis();
        var offsets = new ArrayList<Expr>();
        Expr offset = Ix.idx(0);
        for (int o : operands) {
            offsets.add(offset);
            offset = Ix.add(offset, Ix.dim(cx.node(o).type().shape().get(axis)));
        }
        Expr result = null;
        for (int k = operands.size() - 1; k >= 0; k--) {
            int o = operands.get(k);
            Expr size = Ix.dim(cx.node(o).type().shape().get(axis));
            Expr local = Ix.sub(index.get(axis), offsets.get(k));
            var at = new ArrayList<>(index);
            at.set(axis, k == 0 ? Ix.min(local, Ix.sub(size, Ix.idx(1))) : Ix.max(Ix.idx(0), Ix.min(local, Ix.sub(size, Ix.idx(1)))));
            Expr v = value(o, at);
            result = result == null ? v : new Expr.Select(Ix.cmp(BinaryFn.LT, index.get(axis), Ix.add(offsets.get(k), size)), v, result);
        }
        return result;
    }
}
