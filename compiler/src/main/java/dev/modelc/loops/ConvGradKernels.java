package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.TapRanges.Range;
import dev.modelc.loops.WindowKernels.Axis;
import dev.modelc.loops.WindowKernels.Conv;
import java.util.List;

/**
 * The two f32 conv2d gradients as vector kernels, accumulating in f32 with fused multiply-adds
 * (they differ from the interpreter, which sums in double, by rounding only).
 *
 * <p>Kernel gradient, {@code dk[kh,kw,c,o] = sum over b,oh,ow of x[b,ih,iw,c] * dy[b,oh,ow,o]}:
 * a matrix product whose reduction runs over every output position, held in matmul's register
 * tile ({@value #KERNEL_ROWS} broadcast x elements, input channels, times 2 vectors of dy). With at
 * least {@value #MIN_GROUPS} blocks of {@value #KERNEL_ROWS} channels, each parallel iteration owns
 * a group of blocks for every tap and walks the batch one image at a time, the taps inside, so an
 * image's x and dy come from memory once and stay in L2 while every tap passes over them; with
 * fewer, each iteration owns some blocks of one tap. Each image goes {@value #BAND} output rows at
 * a time, every tile passing over a band while its x and dy rows stay in L1, adding its sums into
 * dk. Every form sums each dk element over images, rows and columns in the same order.
 *
 * <p>Input gradient, {@code dx[b,ih,iw,c] = sum over taps reaching (ih, iw) and o of
 * dy[b,oh,ow,o] * k[kh,kw,c,o]}. With stride 1 that is a convolution of dy by the flipped kernel,
 * computed by {@link ConvKernels}. Otherwise a dot product over o per element (o is contiguous in
 * both dy and k), vectorised over o for {@value #INPUT_ROWS} channels at a time so that each dy
 * vector is loaded once for all of them, with the lanes summed at the end; one parallel iteration
 * is one input row (b, ih).
 */
final class ConvGradKernels {
    /** Input channels per register tile of the kernel gradient (with 2 vectors of output channels). */
    static final int KERNEL_ROWS = 4;
    /** Parallel iterations the kernel gradient leaves at least, where its shape allows: 4 per thread on 4 cores. */
    static final long MIN_ITERATIONS = 16;
    /**
     * Output rows per band of the kernel gradient: each image is walked a band at a time, every
     * register tile of the iteration passing over the band (its accumulators stored to dk and
     * reloaded in between, which is exact) while the band's dy and x rows, a few KB, stay in L1
     * cache; a whole image's rows (tens of KB for 32 to 64 channels) would spill to L2.
     */
    static final long BAND = 4;
    /** Input channels per dot-product block of the input gradient. */
    static final int INPUT_ROWS = 8;

    private static final LType F32 = LType.scalar(DType.F32);

    private final KernelContext cx;
    private final int lanes;
    private final LType vec;

    ConvGradKernels(KernelContext cx, int lanes) {
        this.cx = cx;
        this.lanes = lanes;
        this.vec = new LType.Vector(DType.F32, lanes);
    }

    // ---- kernel gradient ----

    /** dk (in {@code g.k()}) from x and dy (in {@code g.y()}). */
    Stmt kernelGrad(Conv g) {
        if (g.channels() < KERNEL_ROWS && g.outChannels() >= 2L * lanes && TapRanges.unclipped(g.w())) return kernelGradByTaps(g);
        Axis h = g.h(), w = g.w();
        long channels = g.channels();
        long taps = h.size() * w.size(), blocks = channels / KERNEL_ROWS, rest = channels % KERNEL_ROWS;
        var top = new LoopBuilder(cx);
        if (blocks >= MIN_GROUPS) {
            long perGroup = blocks / groupsOf(blocks), groups = blocks / perGroup;
            top.loop("u", Ix.idx(0), Ix.idx(groups), 1, Stmt.Schedule.PARALLEL, (body, u) ->
                    tapsInside(body, g, body.let("c", Ix.mul(u, Ix.idx(perGroup * KERNEL_ROWS))), KERNEL_ROWS, perGroup));
        } else {
            long perGroup = blocksPerIteration(taps, blocks), groups = blocks / perGroup;
            top.loop("u", Ix.idx(0), Ix.idx(taps * groups), 1, Stmt.Schedule.PARALLEL, (body, u) -> {
                Expr t = body.let("t", Ix.div(u, Ix.idx(groups)));
                Expr c0 = body.let("c", Ix.mul(Ix.mod(u, Ix.idx(groups)), Ix.idx(perGroup * KERNEL_ROWS)));
                kernelRows(body, g, t, c0, KERNEL_ROWS, perGroup);
            });
        }
        top.loop("t", Ix.idx(0), Ix.idx(rest == 0 ? 0 : taps), 1, Stmt.Schedule.PARALLEL, (body, t) ->
                kernelRows(body, g, t, Ix.idx(blocks * KERNEL_ROWS), (int) rest, 1));
        return top.build();
    }

    /** Channel groups the taps-inside form leaves at least (2 per thread on 2 cores): with fewer blocks, the tap-parallel form. */
    static final long MIN_GROUPS = 4;

    /** The groups of channel blocks for the taps-inside form: the fewest (most blocks each) that are at least {@value #MIN_GROUPS} and divide the blocks. */
    private static long groupsOf(long blocks) {
        for (long groups = MIN_GROUPS; groups < blocks; groups++) if (blocks % groups == 0) return groups;
        return blocks;
    }

    /**
     * dk for every tap and input channels [c0, c0 + blocks * rows), with the taps inside the
     * image loop: zeroed, then per image, per tap, the image's sums added block by block. Each
     * image's x and dy are read from memory once per iteration and stay in L2 cache while all
     * the taps pass over them, where a parallel loop over taps would read every image once per
     * tap. The sums of each dk element run over images, rows and columns in the same order.
     */
    private void tapsInside(LoopBuilder body, Conv g, Expr c0, int rows, long blocks) {
        Axis h = g.h(), w = g.w();
        long o = g.outChannels(), taps = h.size() * w.size();
        long n = blocks * rows * o, vectorEnd = n / lanes * lanes;
        body.loop("t", Ix.idx(0), Ix.idx(taps), 1, (tb, t) -> {
            Expr base = tb.let("dk", Ix.mul(Ix.add(Ix.mul(t, Ix.idx(g.channels())), c0), Ix.idx(o)));
            tb.loop("z", Ix.idx(0), Ix.idx(vectorEnd), lanes, (zb, z) -> zb.store(g.k(), Ix.add(base, z), new Expr.Splat(constant(DType.F32, 0), lanes)));
            tb.loop("z", Ix.idx(vectorEnd), Ix.idx(n), 1, (zb, z) -> zb.store(g.k(), Ix.add(base, z), constant(DType.F32, 0)));
        });
        body.loop("b", Ix.idx(0), g.batch(), 1, (bb, b) -> {
            Expr xImage = bb.let("xi", Ix.mul(b, Ix.idx(h.in()))), yImage = bb.let("yi", Ix.mul(b, Ix.idx(h.out())));
            bb.loop("t", Ix.idx(0), Ix.idx(taps), 1, (tb, t) -> {
                Expr kh = tb.let("kh", Ix.div(t, Ix.idx(w.size()))), kw = tb.let("kw", Ix.mod(t, Ix.idx(w.size())));
                Expr base = tb.let("dk", Ix.mul(Ix.add(Ix.mul(t, Ix.idx(g.channels())), c0), Ix.idx(o)));
                Range oh = TapRanges.outputs(tb, h, kh), ow = TapRanges.outputs(tb, w, kw);
                Expr ih0 = tb.let("ih", Ix.sub(Ix.mul(kh, Ix.idx(h.dilation())), Ix.idx(h.padLow())));
                Expr iw0 = tb.let("iw", Ix.sub(Ix.mul(kw, Ix.idx(w.dilation())), Ix.idx(w.padLow())));
                imageRows(tb, g, base, c0, rows, blocks, oh, ow, ih0, iw0, xImage, yImage);
            });
        });
    }

    /**
     * Channel blocks per parallel iteration: as many as leave at least {@value #MIN_ITERATIONS}
     * iterations to share out. An iteration reads all of x and dy once per image, so more blocks
     * each mean less traffic: every block of one image finds that image's x and dy in cache.
     */
    private static long blocksPerIteration(long taps, long blocks) {
        for (long n = blocks; n > 1; n--) if (blocks % n == 0 && taps * (blocks / n) >= MIN_ITERATIONS) return n;
        return 1;
    }

    /**
     * dk for tap t (= kh * KW + kw), input channels [c0, c0 + blocks * rows): zeroed, then each
     * image's sums added, block by block.
     */
    private void kernelRows(LoopBuilder body, Conv g, Expr t, Expr c0, int rows, long blocks) {
        Axis h = g.h(), w = g.w();
        long o = g.outChannels();
        Expr kh = body.let("kh", Ix.div(t, Ix.idx(w.size()))), kw = body.let("kw", Ix.mod(t, Ix.idx(w.size())));
        Expr base = body.let("dk", Ix.mul(Ix.add(Ix.mul(t, Ix.idx(g.channels())), c0), Ix.idx(o)));
        long n = blocks * rows * o, vectorEnd = n / lanes * lanes;
        body.loop("z", Ix.idx(0), Ix.idx(vectorEnd), lanes, (zb, z) -> zb.store(g.k(), Ix.add(base, z), new Expr.Splat(constant(DType.F32, 0), lanes)));
        body.loop("z", Ix.idx(vectorEnd), Ix.idx(n), 1, (zb, z) -> zb.store(g.k(), Ix.add(base, z), constant(DType.F32, 0)));
        Range oh = TapRanges.outputs(body, h, kh), ow = TapRanges.outputs(body, w, kw);
        Expr ih0 = body.let("ih", Ix.sub(Ix.mul(kh, Ix.idx(h.dilation())), Ix.idx(h.padLow())));
        Expr iw0 = body.let("iw", Ix.sub(Ix.mul(kw, Ix.idx(w.dilation())), Ix.idx(w.padLow())));
        body.loop("b", Ix.idx(0), g.batch(), 1, (bb, b) -> imageRows(bb, g, base, c0, rows, blocks, oh, ow, ih0, iw0,
                bb.let("xi", Ix.mul(b, Ix.idx(h.in()))), bb.let("yi", Ix.mul(b, Ix.idx(h.out())))));
    }

    /** One image's sums for one tap, added into dk from {@code base} (channels [c0, c0 + blocks * rows)), band by band. */
    private void imageRows(LoopBuilder bb, Conv g, Expr base, Expr c0, int rows, long blocks, Range oh, Range ow, Expr ih0, Expr iw0,
                           Expr xImage, Expr yImage) {
        long o = g.outChannels();
        long[] xRows = new long[rows], dkRows = new long[rows];
        for (int r = 0; r < rows; r++) {
            xRows[r] = r;
            dkRows[r] = r * o;
        }
        bb.loop("ob", oh.lo(), oh.hi(), BAND, (rb, band) -> {
            var rows0 = new Range(band, rb.let("obe", Ix.min(Ix.add(band, Ix.idx(BAND)), oh.hi())));
            rb.loop("cb", Ix.idx(0), Ix.idx(blocks * rows), rows, (cb, c) -> {
                var at = new KernelTile(cb.let("dk", Ix.add(base, Ix.mul(c, Ix.idx(o)))), cb.let("c", Ix.add(c0, c)), xRows, dkRows, rows0, ow,
                        ih0, iw0);
                long outVectors = o / lanes * lanes, pairEnd = outVectors / (2L * lanes) * (2L * lanes);
                cb.loop("o", Ix.idx(0), Ix.idx(pairEnd), 2L * lanes, (ob, o0) -> kernelTile(ob, g, at, xImage, yImage, o0, 2, lanes));
                if (outVectors > pairEnd) kernelTile(cb, g, at, xImage, yImage, Ix.idx(pairEnd), 1, lanes);
                cb.loop("o", Ix.idx(outVectors), Ix.idx(o), 1, (ob, o0) -> kernelTile(ob, g, at, xImage, yImage, o0, 1, 1));
            });
        });
    }

    /**
     * Where one register tile of the kernel gradient works: the dk index of its first row, the x
     * channel offset of its pixels, per row the x offset from there and the dk offset from
     * {@code base} (rows are input channels of one tap, or taps of one kernel row), the output
     * ranges and the input position of output (0, 0) for the first row.
     */
    private record KernelTile(Expr base, Expr c0, long[] xRows, long[] dkRows, Range oh, Range ow, Expr ih0, Expr iw0) {
        int rows() { return xRows.length; }
    }

    /**
     * The kernel gradient for few input channels (fewer than {@value #KERNEL_ROWS}), where tiles
     * of channels would be one or two rows high: a tile's rows are instead the (kw, c) pairs of
     * one kernel row, {@value #KERNEL_ROWS} at a time, which read the same dy vectors (so one dy
     * load feeds several fused multiply-adds) and x elements a few places apart. It needs every
     * kw to meet the same output columns (no clipping along the width). Each parallel iteration is
     * one kernel row and one pair of dy vectors; the output channels past the pairs take a second
     * parallel loop over kernel rows. Each dk element is still summed over images, then rows, then
     * columns, in order, so the result is that of the channel tiles.
     */
    private Stmt kernelGradByTaps(Conv g) {
        Axis h = g.h(), w = g.w();
        long c = g.channels(), o = g.outChannels(), perRow = w.size() * c;
        long vectorEnd = o / lanes * lanes, pairs = vectorEnd / (2L * lanes), pairEnd = pairs * 2L * lanes;
        var top = new LoopBuilder(cx);
        top.loop("u", Ix.idx(0), Ix.idx(h.size() * pairs), 1, Stmt.Schedule.PARALLEL, (body, u) -> {
            Expr kh = body.let("kh", Ix.div(u, Ix.idx(pairs)));
            Expr o0 = body.let("o", Ix.mul(Ix.mod(u, Ix.idx(pairs)), Ix.idx(2L * lanes)));
            tapRows(body, g, kh, perRow, o0, 2L * lanes, (tb, at, xImage, yImage) -> kernelTile(tb, g, at, xImage, yImage, o0, 2, lanes));
        });
        if (o > pairEnd) {
            top.loop("kh", Ix.idx(0), Ix.idx(h.size()), 1, Stmt.Schedule.PARALLEL, (body, kh) ->
                    tapRows(body, g, kh, perRow, Ix.idx(pairEnd), o - pairEnd, (tb, at, xImage, yImage) -> {
                        if (vectorEnd > pairEnd) kernelTile(tb, g, at, xImage, yImage, Ix.idx(pairEnd), 1, lanes);
                        tb.loop("o", Ix.idx(vectorEnd), Ix.idx(o), 1, (ob, oi) -> kernelTile(ob, g, at, xImage, yImage, oi, 1, 1));
                    }));
        }
        return top.build();
    }

    interface TileBody { void at(LoopBuilder b, KernelTile at, Expr xImage, Expr yImage); }

    /**
     * dk for kernel row kh, output channels [o0, o0 + width): per block of up to
     * {@value #KERNEL_ROWS} of the row's {@code perRow} (kw, c) pairs, zeroed, then each image's
     * sums added by {@code tiles}.
     */
    private void tapRows(LoopBuilder body, Conv g, Expr kh, long perRow, Expr o0, long width, TileBody tiles) {
        Axis h = g.h(), w = g.w();
        long c = g.channels(), o = g.outChannels();
        Range oh = TapRanges.outputs(body, h, kh), ow = TapRanges.outputs(body, w, Ix.idx(0));
        Expr ih0 = body.let("ih", Ix.sub(Ix.mul(kh, Ix.idx(h.dilation())), Ix.idx(h.padLow())));
        Expr rowBase = body.let("dk", Ix.mul(Ix.mul(kh, Ix.idx(perRow)), Ix.idx(o)));
        for (long first = 0; first < perRow; first += KERNEL_ROWS) {
            int rows = (int) Math.min(KERNEL_ROWS, perRow - first);
            long[] xRows = new long[rows], dkRows = new long[rows];
            for (int r = 0; r < rows; r++) {
                long q = first + r, kw = q / c, ci = q % c;
                xRows[r] = kw * w.dilation() * c + ci;
                dkRows[r] = r * o;
            }
            Expr base = body.let("dk", Ix.add(rowBase, Ix.idx(first * o)));
            for (int r = 0; r < rows; r++) {
                Expr at = Ix.add(Ix.add(base, Ix.idx(dkRows[r])), o0);
                long vectors = width / lanes * lanes;
                for (long z = 0; z < vectors; z += lanes) body.store(g.k(), Ix.add(at, Ix.idx(z)), new Expr.Splat(constant(DType.F32, 0), lanes));
                for (long z = vectors; z < width; z++) body.store(g.k(), Ix.add(at, Ix.idx(z)), constant(DType.F32, 0));
            }
            var tile = new KernelTile(base, Ix.idx(0), xRows, dkRows, oh, ow, ih0, Ix.idx(-w.padLow()));
            body.loop("b", Ix.idx(0), g.batch(), 1, (bb, b) ->
                    tiles.at(bb, tile, bb.let("xi", Ix.mul(b, Ix.idx(h.in()))), bb.let("yi", Ix.mul(b, Ix.idx(h.out())))));
        }
    }

    /**
     * {@code rows} x {@code vectors} accumulators of {@code width} lanes (1: scalars) from dk,
     * plus one image's products over its output positions, back into dk.
     */
    private void kernelTile(LoopBuilder tb, Conv g, KernelTile at, Expr xImage, Expr yImage, Expr o0, int vectors, int width) {
        Axis h = g.h(), w = g.w();
        long o = g.outChannels();
        LType type = width == 1 ? F32 : vec;
        var acc = new Expr.Var[at.rows()][vectors];
        for (int r = 0; r < at.rows(); r++) {
            for (int v = 0; v < vectors; v++) {
                acc[r][v] = tb.declare("acc", new Expr.Load(g.k(), dkAt(at, o, r, o0, (long) v * width), type));
            }
        }
        tb.loop("oh", at.oh().lo(), at.oh().hi(), 1, (hb, oh) -> {
            Expr xRow = hb.let("xr", Ix.mul(Ix.add(xImage, Ix.add(Ix.mul(oh, Ix.idx(h.stride())), at.ih0())), Ix.idx(w.in())));
            Expr yRow = hb.let("yr", Ix.mul(Ix.add(yImage, oh), Ix.idx(w.out())));
            hb.loop("ow", at.ow().lo(), at.ow().hi(), 1, (wb, ow) -> {
                Expr xAt = wb.let("xb", Ix.add(Ix.mul(Ix.add(xRow, Ix.add(Ix.mul(ow, Ix.idx(w.stride())), at.iw0())), Ix.idx(g.channels())), at.c0()));
                Expr yAt = wb.let("yb", Ix.add(Ix.mul(Ix.add(yRow, ow), Ix.idx(o)), o0));
                var grads = new Expr[vectors];
                for (int v = 0; v < vectors; v++) {
                    Expr load = new Expr.Load(g.y(), Ix.add(yAt, Ix.idx((long) v * width)), type);
                    grads[v] = at.rows() > 1 ? wb.declare("dv", load) : load;
                }
                for (int r = 0; r < at.rows(); r++) {
                    Expr xs = new Expr.Load(g.x(), Ix.add(xAt, Ix.idx(at.xRows()[r])), F32);
                    if (width > 1) xs = new Expr.Splat(xs, width);
                    if (vectors > 1) xs = wb.declare("xv", xs);
                    for (int v = 0; v < vectors; v++) wb.assign(acc[r][v], new Expr.Fma(xs, grads[v], acc[r][v]));
                }
            });
        });
        for (int r = 0; r < at.rows(); r++) {
            for (int v = 0; v < vectors; v++) tb.store(g.k(), dkAt(at, o, r, o0, (long) v * width), acc[r][v]);
        }
    }

    private static Expr dkAt(KernelTile at, long o, int row, Expr o0, long offset) {
        return Ix.add(at.base(), Ix.add(o0, Ix.idx(at.dkRows()[row] + offset)));
    }

    // ---- input gradient ----

    /** dx (in {@code g.x()}) from dy (in {@code g.y()}) and k. */
    Stmt inputGrad(Conv g) {
        if (g.h().stride() == 1 && g.w().stride() == 1) return asConvolution(g);
        Axis h = g.h(), w = g.w();
        long channels = g.channels();
        var top = new LoopBuilder(cx);
        top.loop("r", Ix.idx(0), Ix.mul(g.batch(), Ix.idx(h.in())), 1, Stmt.Schedule.PARALLEL, (body, r) -> {
            Expr b = body.let("b", Ix.div(r, Ix.idx(h.in()))), ih = body.let("ih", Ix.mod(r, Ix.idx(h.in())));
            var row = new InputRow(TapRanges.reaching(body, h, ih), body.let("th", Ix.add(ih, Ix.idx(h.padLow()))),
                    body.let("yi", Ix.mul(b, Ix.idx(h.out()))));
            long full = channels / INPUT_ROWS * INPUT_ROWS;
            body.loop("c", Ix.idx(0), Ix.idx(full), INPUT_ROWS, (cb, c0) -> inputPixels(cb, g, row, r, c0, INPUT_ROWS));
            if (channels > full) inputPixels(body, g, row, r, Ix.idx(full), (int) (channels - full));
        });
        return top.build();
    }

    /**
     * Channels [c0, c0 + rows) of every pixel of input row r. Pixels are the inner loop, so that
     * the kernel weights of these channels stay in L1 cache across the row.
     */
    private void inputPixels(LoopBuilder b, Conv g, InputRow row, Expr r, Expr c0, int rows) {
        Axis w = g.w();
        b.loop("iw", Ix.idx(0), Ix.idx(w.in()), 1, (pb, iw) -> {
            Range kw = TapRanges.reaching(pb, w, iw);
            Expr tw0 = pb.let("tw", Ix.add(iw, Ix.idx(w.padLow())));
            Expr dxAt = pb.let("xb", Ix.mul(Ix.add(Ix.mul(r, Ix.idx(w.in())), iw), Ix.idx(g.channels())));
            inputChannels(pb, g, row, kw, tw0, dxAt, c0, rows);
        });
    }

    /**
     * With stride 1 the input gradient is itself a convolution: of dy, by the kernel flipped in
     * both spatial axes with its channel axes swapped ({@code kf[j, l, o, c] = k[KH-1-j, KW-1-l, c, o]}),
     * over an axis where tap j of position i reads {@code dy[i - ((KH-1)*d - p) + j*d]}, which is
     * {@code dy[i + p - (KH-1-j)*d]}. The flipped kernel goes into a scratch buffer (the kernel's
     * size, cheap to fill); then {@link ConvKernels} computes dx with its register tiles, without
     * the lane sums of the dot products.
     */
    private Stmt asConvolution(Conv g) {
        long taps = g.h().size() * g.w().size(), c = g.channels(), o = g.outChannels();
        int flipped = cx.scratch(DType.F32, List.of(DimExpr.constant(g.h().size()), DimExpr.constant(g.w().size()),
                DimExpr.constant(o), DimExpr.constant(c)));
        var top = new LoopBuilder(cx);
        // serial: a copy of the kernel costs 1 / (B*H*W) of the convolution after it, less than waking threads
        top.loop("t", Ix.idx(0), Ix.idx(taps), 1, (body, t) -> {
            // flipping both spatial axes reverses the flattened tap index
            Expr from = body.let("kt", Ix.mul(Ix.sub(Ix.idx(taps - 1), t), Ix.idx(c * o))), to = body.let("ft", Ix.mul(t, Ix.idx(o * c)));
            body.loop("c", Ix.idx(0), Ix.idx(c), 1, (cb, ci) -> cb.loop("o", Ix.idx(0), Ix.idx(o), 1, (ob, oi) ->
                    ob.store(flipped, Ix.add(to, Ix.add(Ix.mul(oi, Ix.idx(c)), ci)), new Expr.Load(g.k(), Ix.add(from, Ix.add(Ix.mul(ci, Ix.idx(o)), oi)), F32))));
        });
        top.add(new ConvKernels(cx, lanes).conv2d(new Conv(g.y(), flipped, g.x(), g.batch(), o, c, reversed(g.h()), reversed(g.w()))));
        return top.build();
    }

    /** A stride-1 axis seen from the output side: dy's positions as the input, padded by {@code (size-1)*dilation - padLow}. */
    private static Axis reversed(Axis a) {
        return new Axis(a.out(), a.in(), a.size(), 1, a.dilation(), (a.size() - 1) * a.dilation() - a.padLow());
    }

    /** One input row: the kernel rows that reach it, {@code ih + padLow}, and dy's image base. */
    private record InputRow(Range kh, Expr th0, Expr yImage) {}

    /** dx for channels [c0, c0 + rows) of one input pixel: per channel a vector and a scalar accumulator over o. */
    private void inputChannels(LoopBuilder cb, Conv g, InputRow row, Range kw, Expr tw0, Expr dxAt, Expr c0, int rows) {
        Axis h = g.h(), w = g.w();
        long o = g.outChannels(), vectorEnd = o / lanes * lanes;
        var acc = new Expr.Var[rows];
        var tail = new Expr.Var[rows];
        for (int r = 0; r < rows; r++) {
            if (vectorEnd > 0) acc[r] = cb.declare("acc", new Expr.Splat(constant(DType.F32, 0), lanes));
            if (o > vectorEnd) tail[r] = cb.declare("s", constant(DType.F32, 0));
        }
        cb.loop("kh", row.kh().lo(), row.kh().hi(), 1, (hb, kh) -> {
            Expr th = hb.let("th", Ix.sub(row.th0(), Ix.mul(kh, Ix.idx(h.dilation()))));
            hb.when(divisible(th, h), hb2 -> {
                Expr yRow = hb2.let("yr", Ix.mul(Ix.add(row.yImage(), Ix.div(th, Ix.idx(h.stride()))), Ix.idx(w.out())));
                Expr kRow = hb2.let("kr", Ix.mul(kh, Ix.idx(w.size())));
                hb2.loop("kw", kw.lo(), kw.hi(), 1, (wb, kwv) -> {
                    Expr tw = wb.let("tw", Ix.sub(tw0, Ix.mul(kwv, Ix.idx(w.dilation()))));
                    wb.when(divisible(tw, w), wb2 -> {
                        Expr yAt = wb2.let("yb", Ix.mul(Ix.add(yRow, Ix.div(tw, Ix.idx(w.stride()))), Ix.idx(o)));
                        Expr kAt = wb2.let("kb", Ix.mul(Ix.add(Ix.mul(Ix.add(kRow, kwv), Ix.idx(g.channels())), c0), Ix.idx(o)));
                        wb2.loop("o", Ix.idx(0), Ix.idx(vectorEnd), lanes, (ob, oi) -> dot(ob, g, yAt, kAt, oi, acc, vec));
                        wb2.loop("o", Ix.idx(vectorEnd), Ix.idx(o), 1, (ob, oi) -> dot(ob, g, yAt, kAt, oi, tail, F32));
                    });
                });
            });
        });
        for (int r = 0; r < rows; r++) {
            Expr sum = acc[r] == null ? null : new Expr.ReduceLanes(BinaryFn.ADD, acc[r]);
            if (tail[r] != null) sum = sum == null ? tail[r] : new Expr.Binary(BinaryFn.ADD, sum, tail[r], F32);
            cb.store(g.x(), Ix.add(dxAt, Ix.add(c0, Ix.idx(r))), sum);
        }
    }

    /** One step of the dot products: a dy element or vector at o, times k's for each channel, into {@code acc}. */
    private void dot(LoopBuilder ob, Conv g, Expr yAt, Expr kAt, Expr oi, Expr.Var[] acc, LType type) {
        Expr d = new Expr.Load(g.y(), Ix.add(yAt, oi), type);
        if (acc.length > 1) d = ob.declare("dv", d);
        for (int r = 0; r < acc.length; r++) {
            Expr weights = new Expr.Load(g.k(), Ix.add(Ix.add(kAt, Ix.idx(r * g.outChannels())), oi), type);
            ob.assign(acc[r], new Expr.Fma(d, weights, acc[r]));
        }
    }

    /** With a stride above 1, whether {@code t} lands on an output position; null (no test) for stride 1. */
    private static Expr divisible(Expr t, Axis a) {
        return a.stride() == 1 ? null : Ix.cmp(BinaryFn.EQ, Ix.mod(t, Ix.idx(a.stride())), Ix.idx(0));
    }
}
