package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.block;
import static dev.modelc.loops.KernelContext.cast;
import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Convolution and pooling on NHWC as gathers: every output element sums (or picks) over the
 * window taps that reach it, skipping taps in the padding, in the interpreter's geometry
 * (TensorFlow "same" padding, the smaller half before). Spatial sizes must be constants; the
 * batch may vary. Each output element is written once, so the outer loop may run in parallel.
 *
 * <p>f32 convolutions with vectors available take the vector kernels of {@link ConvKernels} and
 * {@link ConvGradKernels}; the gathers here, accumulating in double exactly as the interpreter
 * does, serve the other element types.
 */
final class WindowKernels {
    private final KernelContext cx;
    private final Pointwise pointwise;
    private final int lanes;

    WindowKernels(KernelContext cx, Pointwise pointwise, int vectorBits) {
        this.cx = cx;
        this.pointwise = pointwise;
        this.lanes = vectorBits / 32;
    }

    /** One spatial axis: input size, output size, window size, stride, dilation, padding before. */
    record Axis(long in, long out, long size, long stride, long dilation, long padLow) {
        static Axis of(String what, DimExpr in, DimExpr out, long size, long stride, long dilation, boolean same) {
            long i = Ix.constant(in, what + " input"), o = Ix.constant(out, what + " output");
            long span = (size - 1) * dilation + 1;
            long padLow = same ? Math.max((o - 1) * stride + span - i, 0) / 2 : 0;
            return new Axis(i, o, size, stride, dilation, padLow);
        }

        /** The input position of tap j of output position o. */
        Expr at(Expr o, Expr j) { return Ix.add(Ix.sub(Ix.mul(o, Ix.idx(stride)), Ix.idx(padLow)), Ix.mul(j, Ix.idx(dilation))); }

        Expr inside(Expr p) { return Ix.and(Ix.cmp(BinaryFn.GE, p, Ix.idx(0)), Ix.cmp(BinaryFn.LT, p, Ix.idx(in))); }
    }

    Stmt conv(Node n, int out) { return conv(n, out, -1); }

    /**
     * The kernel of convolution op {@code n}; with {@code epilogue} ≥ 0 (a conv2d or a kernel
     * gradient), the kernel stores that node instead (a pointwise node reading {@code n} only
     * elementwise, of its shape and type) into {@code out}: the f32 vector conv2d applies it to each
     * output row (b, oh) right after computing the row, while the row is in L1; the others after
     * the whole op (a kernel gradient is small: mnist_cnn's are at most 72 KB).
     */
    Stmt conv(Node n, int out, int epilogue) {
        pointwise.clearBindings();
        if (epilogue >= 0) pointwise.bindToBuffer(n.id(), out);
        if (n.type().dtype() == DType.F32 && lanes >= 2) {
            // a conv2d applies it row by row; a kernel gradient is complete only at the end (and small)
            return n.op() instanceof Op.Conv2D ? vectorConv(n, out, epilogue) : afterAll(vectorConv(n, out, -1), n, out, epilogue);
        }
        return afterAll(gatherConv(n, out), n, out, epilogue);
    }

    /**
     * The epilogue over rows [from, to) of image b of an NHWC result: per pixel, the channels in
     * vectors where {@link Vectorizer} can write the epilogue lane by lane, the rest one by one.
     */
    private void pixelsEpilogue(LoopBuilder body, int epilogue, int out, List<DimExpr> shape, Expr b, Expr from, Expr to) {
        body.loop("eh", from, to, 1, (rb, oh) -> rowEpilogue(rb, epilogue, out, shape, b, oh));
    }

    /** {@link #pixelsEpilogue} over the one row (b, oh). */
    private void rowEpilogue(LoopBuilder body, int epilogue, int out, List<DimExpr> shape, Expr b, Expr oh) {
        long o = Ix.constant(shape.get(3), "channels"), vectorEnd = o / lanes * lanes;
        body.loop("ow", Ix.idx(0), Ix.dim(shape.get(2)), 1, (pb, ow) -> {
            String e = cx.fresh("e");
            var ev = new Expr.Var(e, LType.INDEX);
            var index = List.of(b, oh, ow, (Expr) ev);
            Expr scalar = pointwise.compute(epilogue, index);
            var vector = new Vectorizer(e, lanes).vectorize(scalar);
            long scalarFrom = vector.isPresent() ? vectorEnd : 0;
            if (vector.isPresent() && vectorEnd > 0) {
                pb.add(new Stmt.Loop(e, Ix.idx(0), Ix.idx(vectorEnd), lanes, Stmt.Schedule.SERIAL,
                        new Stmt.Store(out, Ix.linear(index, shape), vector.get())));
            }
            if (scalarFrom < o) {
                String t = cx.fresh("e");
                var tail = List.of(b, oh, ow, (Expr) new Expr.Var(t, LType.INDEX));
                pb.add(new Stmt.Loop(t, Ix.idx(scalarFrom), Ix.idx(o), 1, Stmt.Schedule.SERIAL,
                        new Stmt.Store(out, Ix.linear(tail, shape), pointwise.compute(epilogue, tail))));
            }
        });
    }

    /**
     * A convolution's buffers and sizes: x [B, H, W, C], k [KH, KW, C, O], y [B, OH, OW, O], or
     * in a gradient kernel the gradients it reads or writes in their place (dx, dk, dy).
     */
    record Conv(int x, int k, int y, Expr batch, long channels, long outChannels, Axis h, Axis w) {}

    /** The f32 vector kernels, on the same geometry as the gathers. */
    private Stmt vectorConv(Node n, int out, int epilogue) {
        var in = n.inputs();
        var first = cx.node(in.get(0)).type().shape();
        var second = cx.node(in.get(1)).type().shape();
        var result = n.type().shape();
        // the forward convolution's x, k and y, whichever of them this op reads or writes
        var shapes = switch (n.op()) {
            case Op.Conv2D c -> List.of(first, second, result);
            case Op.Conv2DInputGrad c -> List.of(result, second, first);
            case Op.Conv2DKernelGrad c -> List.of(first, result, second);
            default -> throw new IllegalStateException(n.op().toString());
        };
        var x = shapes.get(0);
        var k = shapes.get(1);
        var y = shapes.get(2);
        var win = switch (n.op()) {
            case Op.Conv2D c -> c.window();
            case Op.Conv2DInputGrad c -> c.window();
            case Op.Conv2DKernelGrad c -> c.window();
            default -> throw new IllegalStateException(n.op().toString());
        };
        int a = cx.buffer(in.get(0)), b = cx.buffer(in.get(1));
        Expr batch = Ix.dim(x.get(0));
        long channels = Ix.constant(x.get(3), "conv2d channels"), outChannels = Ix.constant(k.get(3), "conv2d channels");
        Axis h = heightAxis(win, x, y, k), w = widthAxis(win, x, y, k);
        return switch (n.op()) {
            case Op.Conv2D c -> new ConvKernels(cx, lanes).conv2d(new Conv(a, b, out, batch, channels, outChannels, h, w),
                    epilogue < 0 ? null : (body, image, oh) -> rowEpilogue(body, epilogue, out, y, image, oh));
            case Op.Conv2DInputGrad c -> new ConvGradKernels(cx, lanes).inputGrad(new Conv(out, b, a, batch, channels, outChannels, h, w));
            default -> new ConvGradKernels(cx, lanes).kernelGrad(new Conv(a, out, b, batch, channels, outChannels, h, w));
        };
    }

    static Axis heightAxis(Op.Window win, List<DimExpr> x, List<DimExpr> y, List<DimExpr> k) {
        return Axis.of("conv2d height", x.get(1), y.get(1), Ix.constant(k.get(0), "kernel"), win.strideH(), win.dilationH(), win.same());
    }

    static Axis widthAxis(Op.Window win, List<DimExpr> x, List<DimExpr> y, List<DimExpr> k) {
        return Axis.of("conv2d width", x.get(2), y.get(2), Ix.constant(k.get(1), "kernel"), win.strideW(), win.dilationW(), win.same());
    }

    private Stmt gatherConv(Node n, int out) {
        var in = n.inputs();
        return switch (n.op()) {
            case Op.Conv2D c -> {
                // y[b,oh,ow,o] = sum over kh, kw, c of x[b,ih,iw,c] * k[kh,kw,c,o]
                var x = cx.node(in.get(0)).type().shape();
                var k = cx.node(in.get(1)).type().shape();
                var h = heightAxis(c.window(), x, n.type().shape(), k);
                var w = widthAxis(c.window(), x, n.type().shape(), k);
                long channels = Ix.constant(x.get(3), "conv2d channels");
                yield sumOver(n, out, (idx, acc) -> taps(h, w, idx.get(1), idx.get(2), (ih, iw, kh, kw) -> {
                    String ci = cx.fresh("c");
                    var cv = new Expr.Var(ci, LType.INDEX);
                    return new Stmt.Loop(ci, Ix.idx(0), Ix.idx(channels), 1, Stmt.Schedule.SERIAL, accumulate(acc,
                            load(in.get(0), List.of(idx.get(0), ih, iw, cv)), load(in.get(1), List.of(kh, kw, cv, idx.get(3)))));
                }));
            }
            case Op.Conv2DInputGrad c -> {
                // dx[b,ih,iw,c] = sum over taps (kh, kw) whose output (oh, ow) reads (ih, iw), and over o, of dy * k
                var dy = cx.node(in.get(0)).type().shape();
                var k = cx.node(in.get(1)).type().shape();
                var x = n.type().shape();
                var h = heightAxis(c.window(), x, dy, k);
                var w = widthAxis(c.window(), x, dy, k);
                long outChannels = Ix.constant(k.get(3), "conv2d channels");
                yield sumOver(n, out, (idx, acc) -> reverseTaps(h, w, idx.get(1), idx.get(2), (oh, ow, kh, kw) -> {
                    String o = cx.fresh("o");
                    var ov = new Expr.Var(o, LType.INDEX);
                    return new Stmt.Loop(o, Ix.idx(0), Ix.idx(outChannels), 1, Stmt.Schedule.SERIAL, accumulate(acc,
                            load(in.get(0), List.of(idx.get(0), oh, ow, ov)), load(in.get(1), List.of(kh, kw, idx.get(3), ov))));
                }));
            }
            case Op.Conv2DKernelGrad c -> {
                // dk[kh,kw,c,o] = sum over b, oh, ow of x[b,ih,iw,c] * dy[b,oh,ow,o]
                var x = cx.node(in.get(0)).type().shape();
                var dy = cx.node(in.get(1)).type().shape();
                var k = n.type().shape();
                var h = heightAxis(c.window(), x, dy, k);
                var w = widthAxis(c.window(), x, dy, k);
                yield sumOver(n, out, (idx, acc) -> cx.nest(List.of(dy.get(0), dy.get(1), dy.get(2)), "p", Stmt.Schedule.SERIAL, p -> {
                    Expr ih = h.at(p.get(1), idx.get(0)), iw = w.at(p.get(2), idx.get(1));
                    return new Stmt.If(Ix.and(h.inside(ih), w.inside(iw)), accumulate(acc,
                            load(in.get(0), List.of(p.get(0), ih, iw, idx.get(2))), load(in.get(1), List.of(p.get(0), p.get(1), p.get(2), idx.get(3)))), block());
                }));
            }
            default -> throw new IllegalStateException(n.op().toString());
        };
    }

    Stmt pool(Node n, int out) { return pool(n, out, -1); }

    /**
     * The kernel of pooling op {@code n}; with {@code epilogue} ≥ 0 (a maxpool_grad only), the
     * kernel stores that node instead (a pointwise node reading {@code n} only elementwise): the
     * f32 vector kernel applies it to each image's dx right after computing it, the gather after
     * the whole op.
     */
    Stmt pool(Node n, int out, int epilogue) {
        pointwise.clearBindings();
        if (epilogue >= 0) pointwise.bindToBuffer(n.id(), out);
        Stmt vector = n.type().dtype() == DType.F32 && lanes >= 2 ? vectorPool(n, out, epilogue) : null;
        return vector != null ? vector : afterAll(gatherPool(n, out), n, out, epilogue);
    }

    /** {@code body}, then the epilogue over every element of {@code n}'s result (none when {@code epilogue} < 0). */
    private Stmt afterAll(Stmt body, Node n, int out, int epilogue) {
        if (epilogue < 0) return body;
        var shape = n.type().shape();
        return new Stmt.Block(List.of(body, cx.nest(shape, "e", Stmt.Schedule.PARALLEL,
                idx -> new Stmt.Store(out, Ix.linear(idx, shape), pointwise.compute(epilogue, idx)))));
    }

    /** The f32 max-pool family as the vector kernels of {@link PoolKernels}, where they apply; null elsewhere. */
    private Stmt vectorPool(Node n, int out, int epilogue) {
        var in = n.inputs();
        var x = (n.op() instanceof Op.MaxPoolGrad ? n : cx.node(in.get(0))).type().shape();
        var y = (n.op() instanceof Op.MaxPoolGrad ? cx.node(in.get(1)) : n).type().shape();
        Op.Pool pool = switch (n.op()) {
            case Op.MaxPool p -> p.pool();
            case Op.MaxPoolSelect p -> p.pool();
            case Op.MaxPoolGrad p -> p.pool();
            default -> null;
        };
        if (pool == null || x.get(3).constantValue().isEmpty()) return null;
        var h = poolAxis(pool, x.get(1), y.get(1), true);
        var w = poolAxis(pool, x.get(2), y.get(2), false);
        if (!PoolKernels.supports(h, w)) return null;
        var kernels = new PoolKernels(cx, lanes);
        int a = cx.buffer(in.get(0)), b = in.size() > 1 ? cx.buffer(in.get(1)) : -1;
        long channels = x.get(3).constantValue().getAsLong();
        if (n.op() instanceof Op.MaxPoolGrad) {
            return kernels.maxPoolGrad(a, b, out, Ix.dim(x.get(0)), channels, h, w,
                    epilogue < 0 ? null : (body, image) -> pixelsEpilogue(body, epilogue, out, x, image, Ix.idx(0), Ix.dim(x.get(1))));
        }
        return afterAll(kernels.maxPool(a, b, out, Ix.dim(x.get(0)), channels, h, w), n, out, epilogue);
    }

    private Stmt gatherPool(Node n, int out) {
        var in = n.inputs();
        DType t = n.type().dtype();
        return switch (n.op()) {
            case Op.MaxPool p -> {
                var x = cx.node(in.get(0)).type().shape();
                var h = poolAxis(p.pool(), x.get(1), n.type().shape().get(1), true);
                var w = poolAxis(p.pool(), x.get(2), n.type().shape().get(2), false);
                yield perElement(n, out, idx -> chooseThen(in.get(0), h, w, idx, (at, found) ->
                        cast(new Expr.Select(found, cast(load(in.get(0), List.of(idx.get(0), at.get(0), at.get(1), idx.get(3))), DType.F64),
                                constant(DType.F64, Double.NEGATIVE_INFINITY)), t)));
            }
            case Op.MaxPoolSelect p -> {
                var x = cx.node(in.get(0)).type().shape();
                var h = poolAxis(p.pool(), x.get(1), n.type().shape().get(1), true);
                var w = poolAxis(p.pool(), x.get(2), n.type().shape().get(2), false);
                yield perElement(n, out, idx -> chooseThen(in.get(0), h, w, idx, (at, found) ->
                        cast(new Expr.Select(found, cast(load(in.get(1), List.of(idx.get(0), at.get(0), at.get(1), idx.get(3))), DType.F64),
                                constant(DType.F64, 0)), t)));
            }
            case Op.MaxPoolGrad p -> {
                // dx[b,ih,iw,c] = sum of dy over the windows that chose (ih, iw)
                var x = n.type().shape();
                var dy = cx.node(in.get(1)).type().shape();
                var h = poolAxis(p.pool(), x.get(1), dy.get(1), true);
                var w = poolAxis(p.pool(), x.get(2), dy.get(2), false);
                yield sumOver(n, out, (idx, acc) -> reverseTaps(h, w, idx.get(1), idx.get(2), (oh, ow, kh, kw) -> {
                    var window = List.of(idx.get(0), oh, ow, idx.get(3));
                    return chooseThenStmt(in.get(0), h, w, window, (at, found) -> new Stmt.If(
                            Ix.and(found, Ix.and(Ix.cmp(BinaryFn.EQ, at.get(0), idx.get(1)), Ix.cmp(BinaryFn.EQ, at.get(1), idx.get(2)))),
                            new Stmt.Assign(acc, add(new Expr.Var(acc, LType.scalar(DType.F64)), cast(load(in.get(1), window), DType.F64))), block()));
                }));
            }
            case Op.AvgPool p -> {
                var x = cx.node(in.get(0)).type().shape();
                var h = poolAxis(p.pool(), x.get(1), n.type().shape().get(1), true);
                var w = poolAxis(p.pool(), x.get(2), n.type().shape().get(2), false);
                yield sumOver(n, out, (idx, acc) -> windowRange(h, w, idx.get(1), idx.get(2), (ih, iw) -> new Stmt.Assign(acc,
                        add(new Expr.Var(acc, LType.scalar(DType.F64)), cast(load(in.get(0), List.of(idx.get(0), ih, iw, idx.get(3))), DType.F64)))),
                        (idx, sum) -> new Expr.Binary(BinaryFn.DIV, sum, cast(realCount(h, w, idx.get(1), idx.get(2)), DType.F64), sum.type()));
            }
            case Op.AvgPoolGrad p -> {
                var x = n.type().shape();
                var dy = cx.node(in.get(0)).type().shape();
                var h = poolAxis(p.pool(), x.get(1), dy.get(1), true);
                var w = poolAxis(p.pool(), x.get(2), dy.get(2), false);
                yield sumOver(n, out, (idx, acc) -> reverseTaps(h, w, idx.get(1), idx.get(2), (oh, ow, kh, kw) -> new Stmt.Assign(acc,
                        add(new Expr.Var(acc, LType.scalar(DType.F64)), new Expr.Binary(BinaryFn.DIV,
                                cast(load(in.get(0), List.of(idx.get(0), oh, ow, idx.get(3))), DType.F64),
                                cast(realCount(h, w, oh, ow), DType.F64), LType.scalar(DType.F64))))));
            }
            default -> throw new IllegalStateException(n.op().toString());
        };
    }

    private static Axis poolAxis(Op.Pool p, DimExpr in, DimExpr out, boolean height) {
        return height ? Axis.of("pooling height", in, out, p.sizeH(), p.strideH(), 1, p.same())
                : Axis.of("pooling width", in, out, p.sizeW(), p.strideW(), 1, p.same());
    }

    interface TapBody { Stmt at(Expr a, Expr b, Expr kh, Expr kw); }

    /** For output (oh, ow): each tap (kh, kw) whose input (ih, iw) lies inside the image. */
    private Stmt taps(Axis h, Axis w, Expr oh, Expr ow, TapBody body) {
        String kh = cx.fresh("kh"), kw = cx.fresh("kw");
        var khv = new Expr.Var(kh, LType.INDEX);
        var kwv = new Expr.Var(kw, LType.INDEX);
        Expr ih = h.at(oh, khv), iw = w.at(ow, kwv);
        Stmt inner = new Stmt.If(w.inside(iw), body.at(ih, iw, khv, kwv), block());
        Stmt row = new Stmt.Loop(kw, Ix.idx(0), Ix.idx(w.size()), 1, Stmt.Schedule.SERIAL, inner);
        return new Stmt.Loop(kh, Ix.idx(0), Ix.idx(h.size()), 1, Stmt.Schedule.SERIAL, new Stmt.If(h.inside(ih), row, block()));
    }

    /**
     * For input (ih, iw): each tap (kh, kw) and the output (oh, ow) whose window puts that tap on
     * it: oh = (ih + padLow - kh*dilation) / stride when that divides evenly and lies in [0, out).
     */
    private Stmt reverseTaps(Axis h, Axis w, Expr ih, Expr iw, TapBody body) {
        String kh = cx.fresh("kh"), kw = cx.fresh("kw");
        var khv = new Expr.Var(kh, LType.INDEX);
        var kwv = new Expr.Var(kw, LType.INDEX);
        Expr th = Ix.sub(Ix.add(ih, Ix.idx(h.padLow())), Ix.mul(khv, Ix.idx(h.dilation())));
        Expr tw = Ix.sub(Ix.add(iw, Ix.idx(w.padLow())), Ix.mul(kwv, Ix.idx(w.dilation())));
        Expr oh = Ix.div(th, Ix.idx(h.stride())), ow = Ix.div(tw, Ix.idx(w.stride()));
        Stmt inner = new Stmt.If(reaches(tw, ow, w), body.at(oh, ow, khv, kwv), block());
        Stmt row = new Stmt.Loop(kw, Ix.idx(0), Ix.idx(w.size()), 1, Stmt.Schedule.SERIAL, inner);
        return new Stmt.Loop(kh, Ix.idx(0), Ix.idx(h.size()), 1, Stmt.Schedule.SERIAL, new Stmt.If(reaches(th, oh, h), row, block()));
    }

    private static Expr reaches(Expr t, Expr o, Axis a) {
        Expr ok = Ix.and(Ix.cmp(BinaryFn.GE, t, Ix.idx(0)), Ix.cmp(BinaryFn.LT, o, Ix.idx(a.out())));
        return a.stride() == 1 ? ok : Ix.and(ok, Ix.cmp(BinaryFn.EQ, Ix.mod(t, Ix.idx(a.stride())), Ix.idx(0)));
    }

    /** The real (unpadded) input positions of window (oh, ow), row by row. */
    private Stmt windowRange(Axis h, Axis w, Expr oh, Expr ow, BiFunction<Expr, Expr, Stmt> body) {
        String ih = cx.fresh("ih"), iw = cx.fresh("iw");
        Stmt row = new Stmt.Loop(iw, lo(w, ow), hi(w, ow), 1, Stmt.Schedule.SERIAL,
                body.apply(new Expr.Var(ih, LType.INDEX), new Expr.Var(iw, LType.INDEX)));
        return new Stmt.Loop(ih, lo(h, oh), hi(h, oh), 1, Stmt.Schedule.SERIAL, row);
    }

    private static Expr lo(Axis a, Expr o) { return Ix.max(a.at(o, Ix.idx(0)), Ix.idx(0)); }

    private static Expr hi(Axis a, Expr o) { return Ix.min(Ix.add(a.at(o, Ix.idx(a.size() - 1)), Ix.idx(1)), Ix.idx(a.in())); }

    private static Expr realCount(Axis h, Axis w, Expr oh, Expr ow) {
        return Ix.mul(Ix.sub(hi(h, oh), lo(h, oh)), Ix.sub(hi(w, ow), lo(w, ow)));
    }

    interface Choice { Expr of(List<Expr> at, Expr found); }

    interface ChoiceStmt { Stmt of(List<Expr> at, Expr found); }

    /** Per output element, the value {@code choice} makes of the position its window chooses. */
    private Stmt chooseThen(int x, Axis h, Axis w, List<Expr> idx, Choice choice) {
        return chooseThenStmt(x, h, w, idx, (at, found) -> new Stmt.Store(-1, null, choice.of(at, found)));
    }

    /**
     * Finds the element window (idx[1], idx[2]) of channel idx[3] chooses: the first maximum in
     * row-major order, a NaN beating every number and the first NaN winning; then runs {@code then}
     * with its position and whether the window had any real element.
     */
    private Stmt chooseThenStmt(int x, Axis h, Axis w, List<Expr> idx, ChoiceStmt then) {
        String best = cx.fresh("best"), bh = cx.fresh("bh"), bw = cx.fresh("bw"), found = cx.fresh("found");
        var bestV = new Expr.Var(best, LType.scalar(DType.F64));
        var foundV = new Expr.Var(found, LType.scalar(DType.BOOL));
        Stmt scan = windowRange(h, w, idx.get(1), idx.get(2), (ih, iw) -> {
            Expr v = cast(load(x, List.of(idx.get(0), ih, iw, idx.get(3))), DType.F64);
            Expr better = new Expr.Binary(BinaryFn.OR, new Expr.Unary(Op.UnaryFn.NOT, foundV), Ix.and(Ix.cmp(BinaryFn.EQ, bestV, bestV),
                    new Expr.Binary(BinaryFn.OR, Ix.cmp(BinaryFn.NE, v, v), Ix.cmp(BinaryFn.GT, v, bestV), LType.scalar(DType.BOOL))), LType.scalar(DType.BOOL));
            return new Stmt.If(better, block(new Stmt.Assign(best, v), new Stmt.Assign(bh, ih), new Stmt.Assign(bw, iw),
                    new Stmt.Assign(found, constant(DType.BOOL, 1))), block());
        });
        return block(new Stmt.Declare(best, LType.scalar(DType.F64), constant(DType.F64, Double.NEGATIVE_INFINITY)),
                new Stmt.Declare(bh, LType.INDEX, Ix.idx(0)), new Stmt.Declare(bw, LType.INDEX, Ix.idx(0)),
                new Stmt.Declare(found, LType.scalar(DType.BOOL), constant(DType.BOOL, 0)), scan,
                then.of(List.of(new Expr.Var(bh, LType.INDEX), new Expr.Var(bw, LType.INDEX)), foundV));
    }

    /** Loops over the result; {@code body} computes the value stored at each index (its Store(-1) placeholder is retargeted). */
    private Stmt perElement(Node n, int out, java.util.function.Function<List<Expr>, Stmt> body) {
        return cx.nest(n.type().shape(), "i", Stmt.Schedule.PARALLEL, idx -> retarget(body.apply(idx), out, Ix.linear(idx, n.type().shape())));
    }

    private static Stmt retarget(Stmt s, int out, Expr index) {
        return switch (s) {
            case Stmt.Block b -> new Stmt.Block(b.body().stream().map(x -> retarget(x, out, index)).toList());
            case Stmt.Store st when st.buffer() == -1 -> new Stmt.Store(out, index, st.value());
            default -> s;
        };
    }

    interface SumBody { Stmt of(List<Expr> idx, String acc); }

    private Stmt sumOver(Node n, int out, SumBody body) {
        return sumOver(n, out, body, (idx, sum) -> sum);
    }

    /** Per result element: a double accumulator from 0, the body adding to it, then {@code finish(sum)} stored, rounded once. */
    private Stmt sumOver(Node n, int out, SumBody body, BiFunction<List<Expr>, Expr, Expr> finish) {
        DType t = n.type().dtype();
        return cx.nest(n.type().shape(), "i", Stmt.Schedule.PARALLEL, idx -> {
            String acc = cx.fresh("acc");
            return block(new Stmt.Declare(acc, LType.scalar(DType.F64), constant(DType.F64, 0)), body.of(idx, acc),
                    new Stmt.Store(out, Ix.linear(idx, n.type().shape()), cast(finish.apply(idx, new Expr.Var(acc, LType.scalar(DType.F64))), t)));
        });
    }

    private Stmt accumulate(String acc, Expr a, Expr b) {
        var av = new Expr.Var(acc, LType.scalar(DType.F64));
        return new Stmt.Assign(acc, add(av, new Expr.Binary(BinaryFn.MUL, cast(a, DType.F64), cast(b, DType.F64), av.type())));
    }

    private static Expr add(Expr a, Expr b) { return new Expr.Binary(BinaryFn.ADD, a, b, a.type()); }

    private Expr load(int node, List<Expr> index) {
        var n = cx.node(node);
        return new Expr.Load(cx.buffer(node), Ix.linear(index, n.type().shape()), LType.scalar(n.type().dtype()));
    }

}
