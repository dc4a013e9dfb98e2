package dev.modelc.check;

import dev.modelc.check.Type.Tensor;

/**
 * Element-type promotion for binary operations. Strong types promote as PyTorch does; a weak
 * (literal) operand takes the other side's type, except that a float literal meeting an integer
 * tensor gives f32.
 */
public final class Promotion {
    private Promotion() {}

    /** The promoted element type, on the first operand's shape (callers set the broadcast shape). */
    public static Tensor result(Tensor a, Tensor b) {
        if (a.weak() && b.weak()) {
            DType d = a.dtype().isFloat() || b.dtype().isFloat() ? DType.F32 : DType.promote(a.dtype(), b.dtype());
            return new Tensor(d, a.shape(), true);
        }
        if (a.weak() || b.weak()) {
            Tensor weak = a.weak() ? a : b;
            Tensor strong = a.weak() ? b : a;
            DType d = weak.dtype().isFloat() && !strong.dtype().isFloat() ? DType.F32 : strong.dtype();
            return new Tensor(d, a.shape(), false);
        }
        return new Tensor(DType.promote(a.dtype(), b.dtype()), a.shape(), false);
    }
}
