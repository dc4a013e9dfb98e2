package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.TapRanges.Range;
import dev.modelc.loops.WindowKernels.Axis;

/**
 * f32 max pooling, its gradient and its selection as vector kernels over the channel axis
 * (contiguous in NHWC), each lane one channel's window. A window's scan keeps per lane the value
 * it has chosen so far and which tap it came from, with the interpreter's rule: the window's first
 * real element to begin with, then an element that is greater, or a NaN when no NaN was chosen
 * yet (so the first maximum in row-major order wins, and the first NaN beats every number). The
 * choice is made by comparisons and blends only, so the results are exactly the interpreter's
 * (the gradient adds in f32 where overlapping windows send two gradients to one element).
 *
 * <p>The gradient scatters instead of gathering: each window adds its dy into the element it
 * chose, so each window is scanned once rather than once per element it covers. Windows of
 * different images never meet, so the parallel loop runs over images, each first zeroing its dx.
 * Channels past the last full vector take the same code with scalars.
 */
final class PoolKernels {
    private static final LType F32 = LType.scalar(DType.F32);

    private final KernelContext cx;
    private final int lanes;

    PoolKernels(KernelContext cx, int lanes) {
        this.cx = cx;
        this.lanes = lanes;
    }

    /**
     * Whether these kernels apply: every window has a real element (true of same and valid
     * padding; the scans start from one) and tap numbers are exact in f32.
     */
    static boolean supports(Axis h, Axis w) {
        return nonEmpty(h) && nonEmpty(w) && h.size() * w.size() < 1L << 24;
    }

    private static boolean nonEmpty(Axis a) {
        return a.at(Ix.idx(a.out() - 1), Ix.idx(0)) instanceof Expr.Index first && first.value() <= a.in() - 1
                && a.at(Ix.idx(0), Ix.idx(a.size() - 1)) instanceof Expr.Index last && last.value() >= 0;
    }

    /** x [B, H, W, C] and the pooled shape's sizes. */
    private record Pool(int x, Expr batch, long channels, Axis h, Axis w) {}

    /** One window: its real taps, the input position of tap (0, 0), x's image row base, and its width in taps. */
    private record Window(Range kh, Range kw, Expr ih0, Expr iw0, Expr xImage, long sizeW) {}

    /** What a scan yields: the chosen value and, when asked for, the chosen tap and the element of {@code g} there. */
    private record Choice(Expr.Var best, Expr.Var tap, Expr.Var selected) {}

    /** {@code y = maxpool(x)} ({@code g < 0}) or {@code y = g at the element maxpool(x) chooses} (maxpool_select). */
    Stmt maxPool(int x, int g, int y, Expr batch, long channels, Axis h, Axis w) {
        var p = new Pool(x, batch, channels, h, w);
        var top = new LoopBuilder(cx);
        top.loop("r", Ix.idx(0), Ix.mul(batch, Ix.idx(h.out())), 1, Stmt.Schedule.PARALLEL, (body, r) -> {
            Expr oh = body.let("oh", Ix.mod(r, Ix.idx(h.out())));
            Expr xImage = body.let("xi", Ix.mul(Ix.div(r, Ix.idx(h.out())), Ix.idx(h.in())));
            Range kh = TapRanges.taps(body, h, oh);
            Expr ih0 = body.let("ih", h.at(oh, Ix.idx(0)));
            body.loop("ow", Ix.idx(0), Ix.idx(w.out()), 1, (wb, ow) -> {
                var win = new Window(kh, TapRanges.taps(wb, w, ow), ih0, wb.let("iw", w.at(ow, Ix.idx(0))), xImage, w.size());
                Expr yAt = wb.let("yb", Ix.mul(Ix.add(Ix.mul(r, Ix.idx(w.out())), ow), Ix.idx(channels)));
                overChannels(wb, channels, (cb, c, type) -> {
                    Choice ch = scan(cb, p, win, c, type, false, g);
                    cb.store(y, Ix.add(yAt, c), g < 0 ? ch.best() : ch.selected());
                });
            });
        });
        return top.build();
    }

    /**
     * Whether the windows along this axis cover it exactly once each: no padding, the stride
     * equal to the size, and the windows ending where the input does.
     */
    static boolean tiles(Axis a) {
        return a.padLow() == 0 && a.dilation() == 1 && a.stride() == a.size() && a.out() * a.size() == a.in();
    }

    /**
     * {@code dx[element each window of x chooses] += dy[window]}, from dx zeroed image by image.
     * Where the windows tile the image ({@link #tiles} on both axes), every element of dx belongs
     * to exactly one window, so its sum is {@code 0 + (chosen ? dy : 0)}: that is stored directly,
     * with the constant 0 in place of the zeroed element, and the zeroing pass is left out.
     */
    /** What runs after each image's dx is complete, while it is in cache (an epilogue). */
    interface ImageEnd { void after(LoopBuilder body, Expr b); }

    Stmt maxPoolGrad(int x, int dy, int dx, Expr batch, long channels, Axis h, Axis w) { return maxPoolGrad(x, dy, dx, batch, channels, h, w, null); }

    /** With {@code imageEnd} (or null) run after each image. */
    Stmt maxPoolGrad(int x, int dy, int dx, Expr batch, long channels, Axis h, Axis w, ImageEnd imageEnd) {
        var p = new Pool(x, batch, channels, h, w);
        long image = h.in() * w.in() * channels, vectorEnd = image / lanes * lanes;
        boolean direct = tiles(h) && tiles(w);
        var top = new LoopBuilder(cx);
        top.loop("b", Ix.idx(0), batch, 1, Stmt.Schedule.PARALLEL, (body, b) -> {
            Expr base = body.let("dx", Ix.mul(b, Ix.idx(image)));
            if (!direct) {
                body.loop("z", Ix.idx(0), Ix.idx(vectorEnd), lanes, (zb, z) -> zb.store(dx, Ix.add(base, z), new Expr.Splat(constant(DType.F32, 0), lanes)));
                body.loop("z", Ix.idx(vectorEnd), Ix.idx(image), 1, (zb, z) -> zb.store(dx, Ix.add(base, z), constant(DType.F32, 0)));
            }
            Expr xImage = body.let("xi", Ix.mul(b, Ix.idx(h.in())));
            body.loop("oh", Ix.idx(0), Ix.idx(h.out()), 1, (hb, oh) -> {
                Range kh = TapRanges.taps(hb, h, oh);
                Expr ih0 = hb.let("ih", h.at(oh, Ix.idx(0)));
                Expr yRow = hb.let("yr", Ix.mul(Ix.add(Ix.mul(b, Ix.idx(h.out())), oh), Ix.idx(w.out())));
                hb.loop("ow", Ix.idx(0), Ix.idx(w.out()), 1, (wb, ow) -> {
                    var win = new Window(kh, TapRanges.taps(wb, w, ow), ih0, wb.let("iw", w.at(ow, Ix.idx(0))), xImage, w.size());
                    Expr yAt = wb.let("yb", Ix.mul(Ix.add(yRow, ow), Ix.idx(channels)));
                    overChannels(wb, channels, (cb, c, type) -> {
                        Choice ch = scan(cb, p, win, c, type, true, -1);
                        Expr grad = cb.declare("g", new Expr.Load(dy, Ix.add(yAt, c), type));
                        Expr zero = zero(type);
                        overWindow(cb, win, (tb, kh2, kw2) -> {
                            Expr at = tb.let("at", xAt(p, win, kh2, kw2, c));
                            Expr hit = cmp(BinaryFn.EQ, ch.tap(), tapId(win, kh2, kw2, type));
                            Expr before = direct ? zero : new Expr.Load(dx, at, type);
                            tb.store(dx, at, new Expr.Binary(BinaryFn.ADD, before, new Expr.Select(hit, grad, zero), type));
                        });
                    });
                });
            });
            if (imageEnd != null) imageEnd.after(body, b);
        });
        return top.build();
    }

    interface ChannelBody { void at(LoopBuilder b, Expr c, LType type); }

    /** Vectors of channels, then the remaining channels one by one as scalars. */
    private void overChannels(LoopBuilder b, long channels, ChannelBody body) {
        long vectorEnd = channels / lanes * lanes;
        var vec = new LType.Vector(DType.F32, lanes);
        b.loop("c", Ix.idx(0), Ix.idx(vectorEnd), lanes, (cb, c) -> body.at(cb, c, vec));
        b.loop("c", Ix.idx(vectorEnd), Ix.idx(channels), 1, (cb, c) -> body.at(cb, c, F32));
    }

    /**
     * The window's choice for channels {@code c..}: starting from its first real element (which
     * the scan then meets again without effect), each element replaces the choice when
     * {@code choice == choice && (v != v || v > choice)}.
     */
    private Choice scan(LoopBuilder b, Pool p, Window win, Expr c, LType type, boolean tap, int g) {
        Expr first = xAt(p, win, win.kh().lo(), win.kw().lo(), c);
        Expr.Var best = b.declare("best", new Expr.Load(p.x(), first, type));
        Expr.Var chosenTap = tap ? b.declare("tap", tapId(win, win.kh().lo(), win.kw().lo(), type)) : null;
        Expr.Var selected = g >= 0 ? b.declare("sel", new Expr.Load(g, first, type)) : null;
        overWindow(b, win, (tb, kh, kw) -> {
            Expr at = tb.let("at", xAt(p, win, kh, kw, c));
            Expr v = tb.declare("v", new Expr.Load(p.x(), at, type));
            Expr better = tb.declare("better", and(cmp(BinaryFn.EQ, best, best), or(cmp(BinaryFn.NE, v, v), cmp(BinaryFn.GT, v, best))));
            tb.assign(best, new Expr.Select(better, v, best));
            if (chosenTap != null) tb.assign(chosenTap, new Expr.Select(better, tapId(win, kh, kw, type), chosenTap));
            if (selected != null) tb.assign(selected, new Expr.Select(better, new Expr.Load(g, at, type), selected));
        });
        return new Choice(best, chosenTap, selected);
    }

    interface TapBody { void at(LoopBuilder b, Expr kh, Expr kw); }

    private static void overWindow(LoopBuilder b, Window win, TapBody body) {
        b.loop("kh", win.kh().lo(), win.kh().hi(), 1, (hb, kh) -> hb.loop("kw", win.kw().lo(), win.kw().hi(), 1, (wb, kw) -> body.at(wb, kh, kw)));
    }

    private static Expr xAt(Pool p, Window win, Expr kh, Expr kw, Expr c) {
        Expr row = Ix.add(win.xImage(), Ix.add(win.ih0(), kh));
        return Ix.add(Ix.mul(Ix.add(Ix.mul(row, Ix.idx(p.w().in())), Ix.add(win.iw0(), kw)), Ix.idx(p.channels())), c);
    }

    /** Tap (kh, kw) as an f32 number: {@code kh * sizeW + kw}, exact below 2^24 taps (see {@link #supports}). */
    private static Expr tapId(Window win, Expr kh, Expr kw, LType type) {
        Expr id = new Expr.Cast(Ix.add(Ix.mul(kh, Ix.idx(win.sizeW())), kw), F32);
        return type.lanes() == 1 ? id : new Expr.Splat(id, type.lanes());
    }

    private static Expr zero(LType type) {
        Expr z = constant(DType.F32, 0);
        return type.lanes() == 1 ? z : new Expr.Splat(z, type.lanes());
    }

    private static Expr cmp(BinaryFn fn, Expr a, Expr b) {
        return new Expr.Binary(fn, a, b, LType.scalar(DType.BOOL).withLanes(a.type().lanes()));
    }

    private static Expr and(Expr a, Expr b) { return new Expr.Binary(BinaryFn.AND, a, b, a.type()); }

    private static Expr or(Expr a, Expr b) { return new Expr.Binary(BinaryFn.OR, a, b, a.type()); }
}
