package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;
import java.util.List;

/**
 * f32 matrix products for GPUs: matmul, and conv2d and its two gradients as implicit matrix
 * products (their patches gathered as the tiles load, never stored).
 *
 * <p>C goes in tiles of {@value #TILE}x{@value #TILE} per block of {@value #THREADS} threads, each
 * thread accumulating {@value #PER}x{@value #PER} elements of it in registers. K goes by in steps
 * of {@value #DEPTH}: the block copies that slice of A's rows and B's columns into shared memory
 * (each thread four elements of each, consecutive threads reading consecutive elements of the
 * operand's contiguous axis), waits at a barrier, and every thread then reads its column of A's
 * tile and row of B's tile from there for each of the {@value #DEPTH} k, written out one after
 * another. A thread's elements are {@value #STRIDE} rows and columns apart, so a warp reads 16
 * consecutive B values and writes 16 consecutive C values at a time. Out-of-range elements (edge
 * tiles, a conv's padding) load as 0 and are not stored. Sums are f32 with fused multiply-adds
 * (the interpreter's are in double), and the epilogue runs on each element after its store.
 * Batched matmuls take one z block per matrix.
 */
final class GpuMatMulKernels {
    static final int TILE = 64, DEPTH = 16, THREADS = 256, PER = 4, STRIDE = TILE / PER;

    /**
     * A shared tile's row length: 4 floats more than the tile, so that the tensor-core fragments'
     * reads (lanes 4 rows of 64 apart) fall in different banks.
     */
    static final int ROW = TILE + 4;

    private final KernelContext cx;
    private final Pointwise pointwise;

    GpuMatMulKernels(KernelContext cx, Pointwise pointwise) {
        this.cx = cx;
        this.pointwise = pointwise;
    }

    static boolean applies(Node n) { return n.type().dtype() == DType.F32 && n.type().shape().size() >= 2; }

    /** conv2d and its two gradients, in f32. */
    static boolean appliesToConv(Node n) {
        return n.type().dtype() == DType.F32
                && (n.op() instanceof Op.Conv2D || n.op() instanceof Op.Conv2DKernelGrad || n.op() instanceof Op.Conv2DInputGrad);
    }

    /** An operand's element at (row, column) of its matrix, given the batch indices; in range. */
    private interface Element {
        Expr at(List<Expr> batch, Expr row, Expr col);
    }

    /** Where element (row, column) of C goes: its index in the result's shape. */
    private interface Place {
        List<Expr> at(List<Expr> batch, Expr row, Expr col);
    }

    /**
     * One product C[M, N] = A[M, K] B[K, N] (per matrix of the batch).
     *
     * @param aAlongRows whether A's contiguous axis is its rows (M), so loads go along M
     * @param bAlongK whether B's contiguous axis is K
     */
    private record Product(Expr m, Expr n, Expr k, List<dev.modelc.check.DimExpr> batchShape, Element a, boolean aAlongRows, Element b,
                           boolean bAlongK, Place place) {}

    Stmt matmul(Node n, int out, int epilogue) {
        int aId = n.inputs().get(0), bId = n.inputs().get(1);
        var shape = n.type().shape();
        int r = shape.size();
        Expr m = Ix.dim(shape.get(r - 2)), nc = Ix.dim(shape.get(r - 1)), k = Ix.dim(cx.node(aId).type().shape().get(r - 1));
        return tiled(n, out, epilogue, new Product(m, nc, k, shape.subList(0, r - 2),
                (batch, row, col) -> pointwise.value(aId, concat(batch, row, col)), transposed(aId),
                (batch, row, col) -> pointwise.value(bId, concat(batch, row, col)), transposed(bId),
                GpuMatMulKernels::concat));
    }

    /**
     * conv2d as C[B*OH*OW, O] = patches[B*OH*OW, KH*KW*C] k[KH*KW*C, O]; its kernel gradient as
     * dk[KH*KW*C, O] = patchesᵀ[KH*KW*C, B*OH*OW] dy[B*OH*OW, O]. NHWC and [KH, KW, C, O] make k,
     * y, dy and dk those matrices as they lie.
     */
    Stmt conv(Node n, int out, int epilogue) {
        var in = n.inputs();
        if (n.op() instanceof Op.Conv2D c) {
            var x = cx.node(in.get(0)).type().shape();
            var kShape = cx.node(in.get(1)).type().shape();
            var y = n.type().shape();
            var h = WindowKernels.heightAxis(c.window(), x, y, kShape);
            var w = WindowKernels.widthAxis(c.window(), x, y, kShape);
            long channels = Ix.constant(x.get(3), "conv2d channels"), kw = Ix.constant(kShape.get(1), "conv2d kernel width");
            Expr rows = Ix.mul(Ix.dim(y.get(0)), Ix.idx(h.out() * w.out()));
            return tiled(n, out, epilogue, new Product(rows, Ix.dim(y.get(3)), Ix.idx(kShape.get(0).constantValue().getAsLong() * kw * channels), List.of(),
                    (batch, row, kk) -> patch(in.get(0), h, w, row, kk, channels, kw), false,
                    (batch, kk, o) -> pointwise.value(in.get(1), List.of(Ix.div(kk, Ix.idx(kw * channels)), Ix.mod(Ix.div(kk, Ix.idx(channels)), Ix.idx(kw)),
                            Ix.mod(kk, Ix.idx(channels)), o)), false,
                    (batch, row, o) -> List.of(Ix.div(row, Ix.idx(h.out() * w.out())), Ix.mod(Ix.div(row, Ix.idx(w.out())), Ix.idx(h.out())),
                            Ix.mod(row, Ix.idx(w.out())), o)));
        }
        if (n.op() instanceof Op.Conv2DInputGrad c) {
            // dx[B*H*W, C] = dy gathered [B*H*W, KH*KW*O] · kᵀ-ish [KH*KW*O, C]: each (ih, kh) reads the dy row
            // oh = (ih + pad - kh*dilation) / stride where that divides exactly and lands inside
            var dy = cx.node(in.get(0)).type().shape();
            var kShape = cx.node(in.get(1)).type().shape();
            var x = n.type().shape();
            var h = WindowKernels.heightAxis(c.window(), x, dy, kShape);
            var w = WindowKernels.widthAxis(c.window(), x, dy, kShape);
            long outChannels = Ix.constant(kShape.get(3), "conv2d channels"), kw = Ix.constant(kShape.get(1), "conv2d kernel width");
            long channels = Ix.constant(kShape.get(2), "conv2d channels");
            Expr rows = Ix.mul(Ix.dim(x.get(0)), Ix.idx(h.in() * w.in()));
            return tiled(n, out, epilogue, new Product(rows, Ix.idx(channels), Ix.idx(kShape.get(0).constantValue().getAsLong() * kw * outChannels), List.of(),
                    (batch, row, kk) -> {
                        Expr b = Ix.div(row, Ix.idx(h.in() * w.in())), ih = Ix.mod(Ix.div(row, Ix.idx(w.in())), Ix.idx(h.in())), iw = Ix.mod(row, Ix.idx(w.in()));
                        Expr kh = Ix.div(kk, Ix.idx(kw * outChannels)), kx = Ix.mod(Ix.div(kk, Ix.idx(outChannels)), Ix.idx(kw)), o = Ix.mod(kk, Ix.idx(outChannels));
                        Expr nh = Ix.sub(Ix.add(ih, Ix.idx(h.padLow())), Ix.mul(kh, Ix.idx(h.dilation())));
                        Expr nw = Ix.sub(Ix.add(iw, Ix.idx(w.padLow())), Ix.mul(kx, Ix.idx(w.dilation())));
                        Expr oh = Ix.div(nh, Ix.idx(h.stride())), ow = Ix.div(nw, Ix.idx(w.stride()));
                        Expr valid = Ix.and(Ix.and(reached(nh, oh, h), reached(nw, ow, w)), null);
                        Expr value = pointwise.value(in.get(0), List.of(b, clamp(oh, h.out()), clamp(ow, w.out()), o));
                        return new Expr.Select(valid, value, new Expr.Const(DType.F32, 0));
                    }, false,
                    (batch, kk, ch) -> pointwise.value(in.get(1), List.of(Ix.div(kk, Ix.idx(kw * outChannels)), Ix.mod(Ix.div(kk, Ix.idx(outChannels)), Ix.idx(kw)),
                            ch, Ix.mod(kk, Ix.idx(outChannels)))), true,
                    (batch, row, ch) -> List.of(Ix.div(row, Ix.idx(h.in() * w.in())), Ix.mod(Ix.div(row, Ix.idx(w.in())), Ix.idx(h.in())),
                            Ix.mod(row, Ix.idx(w.in())), ch)));
        }
        var c = (Op.Conv2DKernelGrad) n.op();
        var x = cx.node(in.get(0)).type().shape();
        var dy = cx.node(in.get(1)).type().shape();
        var kShape = n.type().shape();
        var h = WindowKernels.heightAxis(c.window(), x, dy, kShape);
        var w = WindowKernels.widthAxis(c.window(), x, dy, kShape);
        long channels = Ix.constant(x.get(3), "conv2d channels"), kw = Ix.constant(kShape.get(1), "conv2d kernel width");
        Expr pixels = Ix.mul(Ix.dim(dy.get(0)), Ix.idx(h.out() * w.out()));
        return tiled(n, out, epilogue, new Product(Ix.idx(kShape.get(0).constantValue().getAsLong() * kw * channels), Ix.dim(dy.get(3)), pixels, List.of(),
                (batch, kk, p) -> patch(in.get(0), h, w, p, kk, channels, kw), true,
                (batch, p, o) -> pointwise.value(in.get(1), List.of(Ix.div(p, Ix.idx(h.out() * w.out())), Ix.mod(Ix.div(p, Ix.idx(w.out())), Ix.idx(h.out())),
                        Ix.mod(p, Ix.idx(w.out())), o)), false,
                (batch, kk, o) -> List.of(Ix.div(kk, Ix.idx(kw * channels)), Ix.mod(Ix.div(kk, Ix.idx(channels)), Ix.idx(kw)), Ix.mod(kk, Ix.idx(channels)), o)));
    }

    /** Whether input offset {@code num} (position + padding - tap) is output {@code o} of the axis exactly: not negative, a multiple of the stride, inside. */
    private static Expr reached(Expr num, Expr o, WindowKernels.Axis axis) {
        Expr divides = axis.stride() == 1 ? null : Ix.cmp(BinaryFn.EQ, Ix.mod(num, Ix.idx(axis.stride())), Ix.idx(0));
        return Ix.and(Ix.and(Ix.cmp(BinaryFn.GE, num, Ix.idx(0)), Ix.cmp(BinaryFn.LT, o, Ix.idx(axis.out()))), divides);
    }

    private static Expr clamp(Expr i, long size) { return Ix.max(Ix.min(i, Ix.idx(size - 1)), Ix.idx(0)); }

    /** x at output pixel {@code pixel} (b, oh, ow) and tap {@code tap} (kh, kw, c), or 0 in the padding. */
    private Expr patch(int x, WindowKernels.Axis h, WindowKernels.Axis w, Expr pixel, Expr tap, long channels, long kw) {
        Expr b = Ix.div(pixel, Ix.idx(h.out() * w.out())), oh = Ix.mod(Ix.div(pixel, Ix.idx(w.out())), Ix.idx(h.out())), ow = Ix.mod(pixel, Ix.idx(w.out()));
        Expr kh = Ix.div(tap, Ix.idx(kw * channels)), kx = Ix.mod(Ix.div(tap, Ix.idx(channels)), Ix.idx(kw)), c = Ix.mod(tap, Ix.idx(channels));
        Expr ih = h.at(oh, kh), iw = w.at(ow, kx);
        // the index is clamped into the image so that the load is in range even where the value is not used
        Expr value = pointwise.value(x, List.of(b, Ix.max(Ix.min(ih, Ix.idx(h.in() - 1)), Ix.idx(0)), Ix.max(Ix.min(iw, Ix.idx(w.in() - 1)), Ix.idx(0)), c));
        return new Expr.Select(Ix.and(h.inside(ih), w.inside(iw)), value, new Expr.Const(DType.F32, 0));
    }

    private Stmt tiled(Node n, int out, int epilogue, Product p) {
        pointwise.clearBindings();
        if (epilogue >= 0) pointwise.bindToBuffer(n.id(), out);
        var shape = n.type().shape();
        Expr matrices = Ix.idx(1);
        for (var d : p.batchShape()) matrices = Ix.mul(matrices, Ix.dim(d));
        int as = cx.shared(DType.F32, (long) DEPTH * ROW), bs = cx.shared(DType.F32, (long) DEPTH * ROW);
        cx.launch(new LoopProgram.BlockLaunch(List.of(blocks(p.n()), blocks(p.m()), matrices), THREADS, List.of(as, bs)));

        var body = new ArrayList<Stmt>();
        Expr t = declare(body, "t", new Expr.GpuIndex(Expr.GpuAxis.THREAD));
        Expr tx = declare(body, "tx", Ix.mod(t, Ix.idx(STRIDE))), ty = declare(body, "ty", Ix.div(t, Ix.idx(STRIDE)));
        Expr row0 = declare(body, "row0", Ix.mul(new Expr.GpuIndex(Expr.GpuAxis.BLOCK_Y), Ix.idx(TILE)));
        Expr col0 = declare(body, "col0", Ix.mul(new Expr.GpuIndex(Expr.GpuAxis.BLOCK_X), Ix.idx(TILE)));
        // the matrix of the batch, as an index per batch dimension (innermost fastest)
        var batch = new ArrayList<Expr>();
        Expr z = declare(body, "z", new Expr.GpuIndex(Expr.GpuAxis.BLOCK_Z));
        for (int i = p.batchShape().size() - 1; i >= 0; i--) {
            Expr d = Ix.dim(p.batchShape().get(i));
            batch.addFirst(declare(body, "b", Ix.mod(z, d)));
            z = declare(body, "z", Ix.div(z, d));
        }
        var f32 = LType.scalar(DType.F32);
        var acc = new Expr[PER][PER];
        for (int i = 0; i < PER; i++) {
            for (int j = 0; j < PER; j++) acc[i][j] = declare(body, "c", new Expr.Const(DType.F32, 0), f32);
        }

        String k0 = cx.fresh("k");
        var k0v = new Expr.Var(k0, LType.INDEX);
        var step = new ArrayList<Stmt>();
        for (int part = 0; part < TILE * DEPTH / THREADS; part++) {
            Expr e = declare(step, "e", Ix.add(t, Ix.idx((long) THREADS * part)));
            // A's tile: TILE rows of m by DEPTH of k
            Expr am = declare(step, "am", p.aAlongRows() ? Ix.mod(e, Ix.idx(TILE)) : Ix.div(e, Ix.idx(DEPTH)));
            Expr ak = declare(step, "ak", p.aAlongRows() ? Ix.div(e, Ix.idx(TILE)) : Ix.mod(e, Ix.idx(DEPTH)));
            step.add(guardedCopy(as, Ix.add(Ix.mul(ak, Ix.idx(ROW)), am), Ix.add(row0, am), p.m(), Ix.add(k0v, ak), p.k(),
                    (row, col) -> p.a().at(batch, row, col)));
            // B's tile: DEPTH rows of k by TILE of n
            Expr bn = declare(step, "bn", p.bAlongK() ? Ix.div(e, Ix.idx(DEPTH)) : Ix.mod(e, Ix.idx(TILE)));
            Expr bk = declare(step, "bk", p.bAlongK() ? Ix.mod(e, Ix.idx(DEPTH)) : Ix.div(e, Ix.idx(TILE)));
            step.add(guardedCopy(bs, Ix.add(Ix.mul(bk, Ix.idx(ROW)), bn), Ix.add(k0v, bk), p.k(), Ix.add(col0, bn), p.n(),
                    (row, col) -> p.b().at(batch, row, col)));
        }
        step.add(new Stmt.Barrier());
        if (cx.tf32) tensorCoreSteps(step, as, bs, t, acc);
        else fmaSteps(step, as, bs, tx, ty, acc);
        step.add(new Stmt.Barrier());
        body.add(new Stmt.Loop(k0, Ix.idx(0), p.k(), DEPTH, Stmt.Schedule.SERIAL, new Stmt.Block(step)));

        for (int i = 0; i < PER; i++) {
            for (int j = 0; j < PER; j++) {
                Expr[] at = tileOffset(t, tx, ty, i, j);
                Expr gm = Ix.add(row0, at[0]), gn = Ix.add(col0, at[1]);
                var index = p.place().at(batch, gm, gn);
                var store = new ArrayList<Stmt>(List.of(new Stmt.Store(out, Ix.linear(index, shape), acc[i][j])));
                if (epilogue >= 0) store.add(new Stmt.Store(out, Ix.linear(index, shape), pointwise.compute(epilogue, index)));
                body.add(new Stmt.If(Ix.and(Ix.cmp(BinaryFn.LT, gm, p.m()), Ix.cmp(BinaryFn.LT, gn, p.n())), new Stmt.Block(store), new Stmt.Block(List.of())));
            }
        }
        return new Stmt.Block(body);
    }

    /** The slice's DEPTH k one after another: each thread's 4 A and 4 B values from shared memory and 16 FMAs. */
    private void fmaSteps(List<Stmt> step, int as, int bs, Expr tx, Expr ty, Expr[][] acc) {
        var f32 = LType.scalar(DType.F32);
        for (int kk = 0; kk < DEPTH; kk++) {
            var a = new Expr[PER];
            var b = new Expr[PER];
            for (int i = 0; i < PER; i++) {
                a[i] = declare(step, "a", new Expr.Load(as, Ix.add(Ix.idx((long) kk * ROW), Ix.add(ty, Ix.idx((long) STRIDE * i))), f32), f32);
                b[i] = declare(step, "b", new Expr.Load(bs, Ix.add(Ix.idx((long) kk * ROW), Ix.add(tx, Ix.idx((long) STRIDE * i))), f32), f32);
            }
            for (int i = 0; i < PER; i++) {
                for (int j = 0; j < PER; j++) step.add(new Stmt.Assign(((Expr.Var) acc[i][j]).name(), new Expr.Fma(a[i], b[j], acc[i][j])));
            }
        }
    }

    /**
     * The slice on the tensor cores: warp w takes rows 16·(w % 4) and columns 32·(w / 4) of the
     * tile, four {@code mma.m16n8k8} (TF32) per 8 of k, its 16 accumulators per lane laid out as
     * {@link Stmt.MmaTf32} says (c[j] is n-tile j's four values).
     */
    private void tensorCoreSteps(List<Stmt> step, int as, int bs, Expr t, Expr[][] acc) {
        var f32 = LType.scalar(DType.F32);
        Expr lane = declare(step, "lane", Ix.mod(t, Ix.idx(32))), warp = declare(step, "warp", Ix.div(t, Ix.idx(32)));
        Expr g = declare(step, "g", Ix.div(lane, Ix.idx(4))), q = declare(step, "q", Ix.mod(lane, Ix.idx(4)));
        Expr rowBase = declare(step, "wm", Ix.add(Ix.mul(Ix.mod(warp, Ix.idx(4)), Ix.idx(16)), g));
        Expr colBase = declare(step, "wn", Ix.add(Ix.mul(Ix.div(warp, Ix.idx(4)), Ix.idx(32)), g));
        for (int ks = 0; ks < DEPTH; ks += 8) {
            Expr k1 = Ix.mul(Ix.add(Ix.idx(ks), q), Ix.idx(ROW)), k2 = Ix.mul(Ix.add(Ix.idx(ks + 4), q), Ix.idx(ROW));
            var a = List.of(
                    declare(step, "a", new Expr.Load(as, Ix.add(k1, rowBase), f32), f32),
                    declare(step, "a", new Expr.Load(as, Ix.add(k1, Ix.add(rowBase, Ix.idx(8))), f32), f32),
                    declare(step, "a", new Expr.Load(as, Ix.add(k2, rowBase), f32), f32),
                    declare(step, "a", new Expr.Load(as, Ix.add(k2, Ix.add(rowBase, Ix.idx(8))), f32), f32));
            for (int j = 0; j < PER; j++) {
                Expr col = Ix.add(colBase, Ix.idx(8L * j));
                var b = List.of(declare(step, "b", new Expr.Load(bs, Ix.add(k1, col), f32), f32),
                        declare(step, "b", new Expr.Load(bs, Ix.add(k2, col), f32), f32));
                var c = List.of(acc[j][0], acc[j][1], acc[j][2], acc[j][3]);
                var d = c.stream().map(e -> ((Expr.Var) e).name()).toList();
                step.add(new Stmt.MmaTf32(d, a, b, c));
            }
        }
    }

    /** Where accumulator (i, j) of this thread lies in the tile: (row, column) offsets. */
    private Expr[] tileOffset(Expr t, Expr tx, Expr ty, int i, int j) {
        if (!cx.tf32) return new Expr[] {Ix.add(ty, Ix.idx((long) STRIDE * i)), Ix.add(tx, Ix.idx((long) STRIDE * j))};
        // n-tile i of the warp, value j of the fragment: rows g and g + 8, columns 2q and 2q + 1
        Expr lane = Ix.mod(t, Ix.idx(32)), warp = Ix.div(t, Ix.idx(32));
        Expr g = Ix.div(lane, Ix.idx(4)), q = Ix.mod(lane, Ix.idx(4));
        Expr row = Ix.add(Ix.add(Ix.mul(Ix.mod(warp, Ix.idx(4)), Ix.idx(16)), g), Ix.idx(j >= 2 ? 8 : 0));
        Expr col = Ix.add(Ix.add(Ix.mul(Ix.div(warp, Ix.idx(4)), Ix.idx(32)), Ix.idx(8L * i)), Ix.add(Ix.mul(q, Ix.idx(2)), Ix.idx(j % 2)));
        return new Expr[] {row, col};
    }

    private interface Guarded {
        Expr at(Expr row, Expr col);
    }

    /** {@code shared[at] = element(row, col)} where {@code row < rows && col < cols}, else 0. */
    private static Stmt guardedCopy(int shared, Expr at, Expr row, Expr rows, Expr col, Expr cols, Guarded element) {
        return new Stmt.If(Ix.and(Ix.cmp(BinaryFn.LT, row, rows), Ix.cmp(BinaryFn.LT, col, cols)),
                new Stmt.Store(shared, at, element.at(row, col)), new Stmt.Store(shared, at, new Expr.Const(DType.F32, 0)));
    }

    private static List<Expr> concat(List<Expr> batch, Expr row, Expr col) {
        var index = new ArrayList<>(batch);
        index.add(row);
        index.add(col);
        return index;
    }

    /** Whether the operand is read through a transpose of its last two axes (then its contiguous axis is the other one). */
    private boolean transposed(int id) {
        var n = cx.node(id);
        return cx.buffer(id) < 0 && n.op() instanceof Op.Transpose t && MatMulKernels.isLastTwoSwap(t.perm());
    }

    private static Expr blocks(Expr extent) { return Ix.div(Ix.add(extent, Ix.idx(TILE - 1)), Ix.idx(TILE)); }

    private Expr declare(List<Stmt> body, String prefix, Expr init) { return declare(body, prefix, init, LType.INDEX); }

    private Expr declare(List<Stmt> body, String prefix, Expr init, LType type) {
        String name = cx.fresh(prefix);
        body.add(new Stmt.Declare(name, type, init));
        return new Expr.Var(name, type);
    }
}
