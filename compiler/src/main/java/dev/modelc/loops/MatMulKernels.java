package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.block;
import static dev.modelc.loops.KernelContext.cast;
import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;

/**
 * {@code [..., M, K] @ [..., K, N]} over equal leading axes: per output element a dot product
 * over k, accumulated in double (floats) or i64 (ints) and rounded once, as the interpreter does.
 */
final class MatMulKernels {
    private final KernelContext cx;

    MatMulKernels(KernelContext cx) { this.cx = cx; }

    Stmt matmul(Node n, int out) {
        int a = cx.buffer(n.inputs().get(0)), b = cx.buffer(n.inputs().get(1));
        var aShape = cx.node(n.inputs().get(0)).type().shape();
        var bShape = cx.node(n.inputs().get(1)).type().shape();
        var shape = n.type().shape();
        int r = shape.size();
        DType t = n.type().dtype();
        DType acc = KernelContext.accumulator(t);
        DimExpr kDim = aShape.get(r - 1);
        return cx.nest(shape, "i", Stmt.Schedule.PARALLEL, index -> {
            String s = cx.fresh("acc"), k = cx.fresh("k");
            var sv = new Expr.Var(s, LType.scalar(acc));
            var kv = new Expr.Var(k, LType.INDEX);
            var aIndex = new ArrayList<>(index.subList(0, r - 1));
            aIndex.add(kv);
            var bIndex = new ArrayList<>(index.subList(0, r - 2));
            bIndex.add(kv);
            bIndex.add(index.get(r - 1));
            Expr product = new Expr.Binary(BinaryFn.MUL,
                    cast(new Expr.Load(a, Ix.linear(aIndex, aShape), LType.scalar(t)), acc),
                    cast(new Expr.Load(b, Ix.linear(bIndex, bShape), LType.scalar(t)), acc), LType.scalar(acc));
            return block(new Stmt.Declare(s, LType.scalar(acc), constant(acc, 0)),
                    new Stmt.Loop(k, Ix.idx(0), Ix.dim(kDim), 1, Stmt.Schedule.SERIAL,
                            new Stmt.Assign(s, new Expr.Binary(BinaryFn.ADD, sv, product, sv.type()))),
                    new Stmt.Store(out, Ix.linear(index, shape), cast(sv, t)));
        });
    }

}
