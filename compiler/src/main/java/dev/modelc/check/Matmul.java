package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The typing rule of {@code @} / {@code matmul}: NumPy's matmul, batch dimensions broadcast. */
final class Matmul {
    private Matmul() {}

    static Tensor type(CallArgs a, Tensor x, Tensor y) {
        if (x.isScalar() || y.isScalar()) {
            throw a.error("shape-matmul", "operands must have at least one dimension: " + x + " @ " + y);
        }
        boolean vecLeft = x.rank() == 1;
        boolean vecRight = y.rank() == 1;
        List<DimExpr> xs = vecLeft ? List.of(Shapes.ONE, x.shape().get(0)) : x.shape();
        List<DimExpr> ys = vecRight ? List.of(y.shape().get(0), Shapes.ONE) : y.shape();
        DimExpr k1 = xs.get(xs.size() - 1);
        DimExpr k2 = ys.get(ys.size() - 2);
        if (!k1.equals(k2)) {
            throw a.error("shape-matmul", "inner dimensions differ: " + x + " @ " + y);
        }
        var batch = Shapes.broadcast(xs.subList(0, xs.size() - 2), ys.subList(0, ys.size() - 2));
        if (batch == null) {
            throw a.error("shape-matmul-batch", "batch dimensions do not broadcast: " + x + " @ " + y);
        }
        var out = new ArrayList<>(batch);
        if (!vecLeft) out.add(xs.get(xs.size() - 2));
        if (!vecRight) out.add(ys.get(ys.size() - 1));
        return Promotion.result(x, y).withShape(out);
    }
}
