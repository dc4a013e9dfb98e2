package dev.modelc.loops;

import dev.modelc.loops.WindowKernels.Axis;

/**
 * Which window taps meet which positions along one axis, as loop bounds rather than a test per
 * tap. Tap {@code j} of output position {@code o} reads input position
 * {@code o*stride - padLow + j*dilation}; it counts when that lies in {@code [0, in)}. Solving
 * that inequality for {@code j} (or for {@code o}) gives a contiguous range, computed once per
 * row with max/min, and a constant range when no window is ever clipped (valid padding), which
 * lets the backend unroll the loop.
 */
final class TapRanges {
    private TapRanges() {}

    record Range(Expr lo, Expr hi) {}

    /** Whether every tap of every window lies inside the input. */
    static boolean unclipped(Axis a) {
        return a.padLow() == 0 && (a.out() - 1) * a.stride() + (a.size() - 1) * a.dilation() <= a.in() - 1;
    }

    /** The taps {@code j} of output position {@code o} that land inside the input. */
    static Range taps(LoopBuilder b, Axis a, Expr o) {
        if (unclipped(a)) return new Range(Ix.idx(0), Ix.idx(a.size()));
        // 0 <= o*s - p + j*d <= in - 1
        Expr lo = ceilDiv(Ix.sub(Ix.idx(a.padLow()), Ix.mul(o, Ix.idx(a.stride()))), a.dilation());
        Expr hi = Ix.add(Ix.div(Ix.sub(Ix.idx(a.in() - 1 + a.padLow()), Ix.mul(o, Ix.idx(a.stride()))), Ix.idx(a.dilation())), Ix.idx(1));
        return clip(b, "j", lo, hi, a.size());
    }

    /** The output positions {@code o} whose tap {@code j} lands inside the input. */
    static Range outputs(LoopBuilder b, Axis a, Expr j) {
        if (unclipped(a)) return new Range(Ix.idx(0), Ix.idx(a.out()));
        // 0 <= o*s + (j*d - p) <= in - 1
        Expr lo = ceilDiv(Ix.sub(Ix.idx(a.padLow()), Ix.mul(j, Ix.idx(a.dilation()))), a.stride());
        Expr hi = Ix.add(Ix.div(Ix.sub(Ix.idx(a.in() - 1 + a.padLow()), Ix.mul(j, Ix.idx(a.dilation()))), Ix.idx(a.stride())), Ix.idx(1));
        return clip(b, "o", lo, hi, a.out());
    }

    /**
     * The taps {@code j} by which some output position could reach input position {@code i}:
     * {@code 0 <= i + p - j*d <= out*s - 1}. With a stride above 1 the caller still tests that
     * {@code i + p - j*d} is a multiple of the stride.
     */
    static Range reaching(LoopBuilder b, Axis a, Expr i) {
        Expr lo = ceilDiv(Ix.add(i, Ix.idx(a.padLow() - a.out() * a.stride() + 1)), a.dilation());
        Expr hi = Ix.add(Ix.div(Ix.add(i, Ix.idx(a.padLow())), Ix.idx(a.dilation())), Ix.idx(1));
        return clip(b, "j", lo, hi, a.size());
    }

    /** The output positions {@code [lo, hi)} whose whole window lies inside the input: constants. */
    static long[] interior(Axis a) {
        long lo = Math.min(Math.ceilDiv(a.padLow(), a.stride()), a.out());
        long hi = Math.floorDiv(a.in() - 1 + a.padLow() - (a.size() - 1) * a.dilation(), a.stride()) + 1;
        return new long[] {lo, Math.max(lo, Math.min(hi, a.out()))};
    }

    private static Range clip(LoopBuilder b, String prefix, Expr lo, Expr hi, long size) {
        return new Range(b.let(prefix + "lo", Ix.max(lo, Ix.idx(0))), b.let(prefix + "hi", Ix.min(hi, Ix.idx(size))));
    }

    /** {@code ceil(e / d)} for a positive constant d, with the IR's floor division. */
    private static Expr ceilDiv(Expr e, long d) { return Ix.div(Ix.add(e, Ix.idx(d - 1)), Ix.idx(d)); }
}
