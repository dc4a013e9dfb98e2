package dev.modelc.opt;

import dev.modelc.check.DType;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.*;
import java.util.OptionalDouble;

/**
 * Replaces an op whose operands are all {@code constant} fills by the fill it computes: unary and
 * binary functions, select, convert, broadcast, reshape, transpose, slice, pad of a zero fill,
 * concat of equal fills, reductions of a fill over axes of constant size, {@code dim_size} of a
 * constant, and {@code iota} along an axis of size 1 (all zeros). The value is exactly the
 * interpreter's; where it might not be, the op is left alone (see {@link Scalars}).
 */
public final class ConstantFolding implements Pass {
    @Override
    public String name() { return "fold"; }

    @Override
    public Graph apply(Graph g) { return Rewriter.run(g, ConstantFolding::fold); }

    static int fold(Node n, Rewriter r) {
        var v = folded(n, r);
        return v.isPresent() ? r.constant(v.getAsDouble(), n.type()) : Rewriter.KEEP;
    }

    private static OptionalDouble folded(Node n, Rewriter r) {
        DType d = n.type().dtype();
        return switch (n.op()) {
            case Unary u -> element(r, n, 0).isPresent() ? Scalars.unary(u.fn(), element(r, n, 0).getAsDouble(), d) : none();
            case Binary b -> {
                var x = element(r, n, 0);
                var y = element(r, n, 1);
                yield x.isPresent() && y.isPresent() ? Scalars.binary(b.fn(), x.getAsDouble(), y.getAsDouble(), r.type(n.input(0)).dtype()) : none();
            }
            case Select s -> {
                // the branches are only moved, so any fill will do, NaN and f16 included
                var c = element(r, n, 0);
                var x = r.fill(n.input(1));
                var y = r.fill(n.input(2));
                yield c.isPresent() && x.isPresent() && y.isPresent() ? (c.getAsDouble() != 0 ? x : y) : none();
            }
            case Convert c -> element(r, n, 0).isPresent()
                    ? Scalars.convert(element(r, n, 0).getAsDouble(), r.type(n.input(0)).dtype(), d) : none();
            // moving elements about moves no arithmetic: a fill of any type stays the same fill
            case Broadcast b -> r.fill(n.input(0));
            case Reshape s -> r.fill(n.input(0));
            case Transpose t -> r.fill(n.input(0));
            case Slice s -> r.fill(n.input(0));
            case Pad p -> r.isFill(n.input(0), 0.0) ? OptionalDouble.of(0) : none(); // pads with +0 (false)
            case Concat c -> equalFills(n, r);
            case Reduce red -> reduced(red, n, r);
            case DimSize s -> s.dim().constantValue().isPresent() ? Scalars.dimension(s.dim().constantValue().getAsLong(), d) : none();
            case Iota i -> n.type().dim(i.axis()).constantValue().orElse(-1) == 1 ? OptionalDouble.of(0) : none();
            default -> none();
        };
    }

    /** Operand {@code i}'s element if it is a fill of a type we fold. */
    private static OptionalDouble element(Rewriter r, Node n, int i) {
        var f = r.fill(n.input(i));
        return f.isPresent() ? Scalars.value(f.getAsDouble(), r.type(n.input(i)).dtype()) : none();
    }

    private static OptionalDouble equalFills(Node n, Rewriter r) {
        var first = r.fill(n.input(0));
        if (first.isEmpty()) return none();
        for (int i : n.inputs()) if (!r.isFill(i, first.getAsDouble())) return none();
        return first;
    }

    private static OptionalDouble reduced(Reduce red, Node n, Rewriter r) {
        var v = element(r, n, 0);
        if (v.isEmpty()) return none();
        var x = r.type(n.input(0));
        long count = 1;
        for (int a : red.axes()) {
            var size = x.dim(a).constantValue();
            if (size.isEmpty()) return none();
            try {
                count = Math.multiplyExact(count, size.getAsLong());
            } catch (ArithmeticException tooMany) {
                return none();
            }
        }
        return Scalars.reduce(red.fn(), v.getAsDouble(), count, x.dtype());
    }

    private static OptionalDouble none() { return OptionalDouble.empty(); }
}
