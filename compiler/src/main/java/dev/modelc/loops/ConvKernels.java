package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.TapRanges.Range;
import dev.modelc.loops.WindowKernels.Axis;
import dev.modelc.loops.WindowKernels.Conv;
import java.util.function.BiConsumer;

/**
 * f32 conv2d as a vector kernel over the output channels, the axis contiguous in both the HWIO
 * kernel and the NHWC result: {@code acc[o..o+lanes) += x[b, ih, iw, c] * k[kh, kw, c, o..o+lanes)},
 * a broadcast input element times a vector of kernel weights, accumulated in f32 registers with
 * fused multiply-adds (so it differs from the interpreter, which sums in double, by rounding only).
 *
 * <p>One parallel iteration computes one output row (b, oh); its valid kernel rows are computed
 * once ({@link TapRanges}). Output pixels whose whole window lies inside the image go
 * {@value #PIXELS} at a time, sharing each kernel vector load between the pixels (matmul's 4 x 2
 * register tile, with pixels as the rows); the others, and the rest of the interior, go one at
 * a time with up to {@value #GROUP} vectors of channels. Channels past the last full vector take
 * a scalar fused multiply-add chain.
 */
final class ConvKernels {
    /** Output pixels per register tile in the window interior. */
    static final int PIXELS = 4;
    /** Vectors of channels one pixel accumulates at once: 8 of AVX2's 16 registers. */
    static final int GROUP = 8;

    private final KernelContext cx;
    private final int lanes;
    private final LType vec;

    ConvKernels(KernelContext cx, int lanes) {
        this.cx = cx;
        this.lanes = lanes;
        this.vec = new LType.Vector(DType.F32, lanes);
    }

    /** One output row: its valid kernel rows, the input row of kernel row 0, and the row bases of x and y. */
    private record Row(Range kh, Expr ih0, Expr xImage, Expr yRow) {}

    /** What runs after each output row (b, oh) is complete, while it is in cache (an epilogue). */
    interface RowEnd { void after(LoopBuilder body, Expr b, Expr oh); }

    Stmt conv2d(Conv g) { return conv2d(g, null); }

    /** With {@code rowEnd} (or null) run after each output row. */
    Stmt conv2d(Conv g, RowEnd rowEnd) {
        Axis h = g.h(), w = g.w();
        long outChannels = g.outChannels();
        long[] interior = TapRanges.interior(w);
        long span = interior[1] - interior[0], rest = span % PIXELS;
        // a last, narrower block takes the rest of the interior unless that is a single pixel
        long blocked = outChannels >= lanes ? span - (rest == 1 ? 1 : 0) : 0;
        long blockEnd = interior[0] + blocked;
        var top = new LoopBuilder(cx);
        top.loop("r", Ix.idx(0), Ix.mul(g.batch(), Ix.idx(h.out())), 1, Stmt.Schedule.PARALLEL, (body, r) -> {
            Expr b = body.let("b", Ix.div(r, Ix.idx(h.out()))), oh = body.let("oh", Ix.mod(r, Ix.idx(h.out())));
            var row = new Row(TapRanges.taps(body, h, oh), body.let("ih", h.at(oh, Ix.idx(0))),
                    body.let("xi", Ix.mul(b, Ix.idx(h.in()))), body.let("yr", Ix.mul(r, Ix.idx(w.out()))));
            blocks(body, g, row, interior[0], blockEnd);
            body.loop("ow", Ix.idx(0), Ix.idx(w.out()), 1, (pb, ow) -> pb.when(blocked == 0 ? null : outside(ow, interior[0], blockEnd),
                    one -> pixel(one, g, row, ow)));
            if (rowEnd != null) rowEnd.after(body, b, oh);
        });
        return top.build();
    }

    /** {@code ow} outside the blocked pixels [lo, hi). */
    private static Expr outside(Expr ow, long lo, long hi) {
        Expr above = Ix.cmp(BinaryFn.GE, ow, Ix.idx(hi));
        return lo == 0 ? above : new Expr.Binary(BinaryFn.OR, Ix.cmp(BinaryFn.LT, ow, Ix.idx(lo)), above, LType.scalar(DType.BOOL));
    }

    /** One output pixel, any window position: groups of vectors of channels, then the scalar channels. */
    private void pixel(LoopBuilder pb, Conv g, Row row, Expr ow) {
        Range kw = TapRanges.taps(pb, g.w(), ow);
        Expr iw0 = pb.let("iw", g.w().at(ow, Ix.idx(0)));
        Expr yBase = pb.let("yb", Ix.mul(Ix.add(row.yRow(), ow), Ix.idx(g.outChannels())));
        long vectors = g.outChannels() / lanes, width = (long) GROUP * lanes, full = vectors * lanes / width * width;
        pb.loop("o", Ix.idx(0), Ix.idx(full), width, (ob, o0) -> tile(ob, g, row, kw, iw0, yBase, o0, 1, GROUP));
        if (vectors * lanes > full) tile(pb, g, row, kw, iw0, yBase, Ix.idx(full), 1, (int) (vectors - full / lanes));
        pb.loop("o", Ix.idx(vectors * lanes), Ix.idx(g.outChannels()), 1, (ob, o) -> scalar(ob, g, row, kw, iw0, yBase, o));
    }

    /**
     * The output pixels [lo, hi) of the row, all with their whole window inside the image, in
     * blocks of {@value #PIXELS} and, when the span is not a multiple of that, one narrower block
     * at the end. Channel tiles are the outer loop, so that the kernel weights of one tile stay
     * in L1 cache while every block of the row uses them.
     */
    private void blocks(LoopBuilder b, Conv g, Row row, long lo, long hi) {
        if (hi <= lo) return;
        var kw = new Range(Ix.idx(0), Ix.idx(g.w().size()));
        long o = g.outChannels(), vectorEnd = o / lanes * lanes, pairEnd = vectorEnd / (2L * lanes) * (2L * lanes);
        b.loop("o", Ix.idx(0), Ix.idx(pairEnd), 2L * lanes, (ob, o0) ->
                overBlocks(ob, g, row, lo, hi, (pb, iw0, yBase, pixels) -> tile(pb, g, row, kw, iw0, yBase, o0, pixels, 2)));
        if (vectorEnd > pairEnd) overBlocks(b, g, row, lo, hi, (pb, iw0, yBase, pixels) -> tile(pb, g, row, kw, iw0, yBase, Ix.idx(pairEnd), pixels, 1));
        if (o > vectorEnd) overBlocks(b, g, row, lo, hi, (pb, iw0, yBase, pixels) -> {
            for (int p = 0; p < pixels; p++) {
                Expr iw = Ix.add(iw0, Ix.idx(p * g.w().stride())), y = Ix.add(yBase, Ix.idx(p * o));
                pb.loop("o", Ix.idx(vectorEnd), Ix.idx(o), 1, (ob, oi) -> scalar(ob, g, row, kw, iw, y, oi));
            }
        });
    }

    interface Block { void at(LoopBuilder b, Expr iw0, Expr yBase, int pixels); }

    /**
     * {@code block} for each block of {@value #PIXELS} pixels in [lo, hi), then for the narrower
     * block of the rest, with its first pixel's input column, result offset and width.
     */
    private static void overBlocks(LoopBuilder b, Conv g, Row row, long lo, long hi, Block block) {
        long full = lo + (hi - lo) / PIXELS * PIXELS;
        b.loop("ow", Ix.idx(lo), Ix.idx(full), PIXELS, (pb, ow) -> block.at(pb, pb.let("iw", g.w().at(ow, Ix.idx(0))),
                pb.let("yb", Ix.mul(Ix.add(row.yRow(), ow), Ix.idx(g.outChannels()))), PIXELS));
        if (hi > full) {
            Expr ow = Ix.idx(full);
            block.at(b, b.let("iw", g.w().at(ow, Ix.idx(0))), b.let("yb", Ix.mul(Ix.add(row.yRow(), ow), Ix.idx(g.outChannels()))), (int) (hi - full));
        }
    }

    /**
     * {@code pixels} consecutive output pixels (input column {@code iw0} for the first) times
     * {@code vectors} vectors of channels from {@code o0}, in registers across all taps. With
     * several pixels each kernel vector is loaded once into a local and used by every pixel.
     */
    private void tile(LoopBuilder tb, Conv g, Row row, Range kw, Expr iw0, Expr yBase, Expr o0, int pixels, int vectors) {
        var acc = new Expr.Var[pixels][vectors];
        for (var accs : acc) for (int v = 0; v < vectors; v++) accs[v] = tb.declare("acc", new Expr.Splat(constant(DType.F32, 0), lanes));
        long pixelStep = g.w().stride() * g.channels();
        overTaps(tb, g, row, kw, iw0, o0, (cb, xAt, kAt) -> {
            var weights = new Expr[vectors];
            for (int v = 0; v < vectors; v++) {
                Expr load = new Expr.Load(g.k(), Ix.add(kAt, Ix.idx((long) v * lanes)), vec);
                weights[v] = pixels > 1 ? cb.declare("kv", load) : load;
            }
            for (int p = 0; p < pixels; p++) {
                Expr xs = new Expr.Splat(new Expr.Load(g.x(), Ix.add(xAt, Ix.idx(p * pixelStep)), LType.scalar(DType.F32)), lanes);
                if (vectors > 1) xs = cb.declare("xv", xs);
                for (int v = 0; v < vectors; v++) cb.assign(acc[p][v], new Expr.Fma(xs, weights[v], acc[p][v]));
            }
        });
        for (int p = 0; p < pixels; p++) {
            for (int v = 0; v < vectors; v++) {
                tb.store(g.y(), Ix.add(yBase, Ix.add(o0, Ix.idx(p * g.outChannels() + (long) v * lanes))), acc[p][v]);
            }
        }
    }

    /** One channel {@code o} of one pixel as a scalar chain of fused multiply-adds. */
    private void scalar(LoopBuilder sb, Conv g, Row row, Range kw, Expr iw0, Expr yBase, Expr o) {
        var f32 = LType.scalar(DType.F32);
        Expr.Var s = sb.declare("s", constant(DType.F32, 0));
        overTaps(sb, g, row, kw, iw0, o, (cb, xAt, kAt) -> cb.assign(s, new Expr.Fma(new Expr.Load(g.x(), xAt, f32), new Expr.Load(g.k(), kAt, f32), s)));
        sb.store(g.y(), Ix.add(yBase, o), s);
    }

    interface ChannelStep { void at(LoopBuilder b, Expr xAt, Expr kAt); }

    /**
     * For each valid tap (kh, kw) and input channel c: {@code step} with the x index of the
     * first pixel's input element and the k index of {@code k[kh, kw, c, o0]}; the row bases
     * of x and k are hoisted out of the inner loops.
     */
    private void overTaps(LoopBuilder b, Conv g, Row row, Range kw, Expr iw0, Expr o0, ChannelStep step) {
        Axis h = g.h(), w = g.w();
        long co = g.channels() * g.outChannels();
        b.loop("kh", row.kh().lo(), row.kh().hi(), 1, (hb, kh) -> {
            Expr xRow = hb.let("xr", Ix.mul(Ix.add(row.xImage(), Ix.add(row.ih0(), Ix.mul(kh, Ix.idx(h.dilation())))), Ix.idx(w.in())));
            Expr kRow = hb.let("kr", Ix.mul(kh, Ix.idx(w.size())));
            hb.loop("kw", kw.lo(), kw.hi(), 1, (wb, kwv) -> {
                Expr xBase = wb.let("xb", Ix.mul(Ix.add(xRow, Ix.add(iw0, Ix.mul(kwv, Ix.idx(w.dilation())))), Ix.idx(g.channels())));
                Expr kBase = wb.let("kb", Ix.add(Ix.mul(Ix.add(kRow, kwv), Ix.idx(co)), o0));
                BiConsumer<LoopBuilder, Expr> channel = (cb, c) ->
                        step.at(cb, Ix.add(xBase, c), cb.let("kc", Ix.add(kBase, Ix.mul(c, Ix.idx(g.outChannels())))));
                wb.loop("c", Ix.idx(0), Ix.idx(g.channels()), 1, channel);
            });
        });
    }
}
