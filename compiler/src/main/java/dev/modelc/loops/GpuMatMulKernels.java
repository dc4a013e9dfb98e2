package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;
import java.util.List;

/**
 * The f32 matmul for GPUs: C in tiles of {@value #TILE}x{@value #TILE} per block of
 * {@value #THREADS} threads, each thread accumulating {@value #PER}x{@value #PER} elements of it in
 * registers. K goes by in steps of {@value #DEPTH}: the block copies that slice of A's rows and
 * B's columns into shared memory (each thread four elements of each, consecutive threads reading
 * consecutive elements), waits at a barrier, and every thread then reads its column of A's tile
 * and row of B's tile from there for each of the {@value #DEPTH} k. A thread's elements are
 * {@value #STRIDE} rows and columns apart, so a warp reads 16 consecutive B values and writes 16
 * consecutive C values at a time. Out-of-range elements of edge tiles load as 0 and are not
 * stored. Sums are f32 with fused multiply-adds (the interpreter's are in double), and the
 * epilogue runs on each element after its store. Batched matmuls take one z block per matrix.
 */
final class GpuMatMulKernels {
    static final int TILE = 64, DEPTH = 16, THREADS = 256, PER = 4, STRIDE = TILE / PER;

    private final KernelContext cx;
    private final Pointwise pointwise;

    GpuMatMulKernels(KernelContext cx, Pointwise pointwise) {
        this.cx = cx;
        this.pointwise = pointwise;
    }

    static boolean applies(Node n) { return n.type().dtype() == DType.F32 && n.type().shape().size() >= 2; }

    Stmt matmul(Node n, int out, int epilogue) {
        pointwise.clearBindings();
        if (epilogue >= 0) pointwise.bindToBuffer(n.id(), out);
        int aId = n.inputs().get(0), bId = n.inputs().get(1);
        var shape = n.type().shape();
        int r = shape.size();
        Expr m = Ix.dim(shape.get(r - 2)), nc = Ix.dim(shape.get(r - 1)), k = Ix.dim(cx.node(aId).type().shape().get(r - 1));
        var batchShape = shape.subList(0, r - 2);
        Expr matrices = Ix.idx(1);
        for (var d : batchShape) matrices = Ix.mul(matrices, Ix.dim(d));
        int as = cx.shared(DType.F32, (long) DEPTH * TILE), bs = cx.shared(DType.F32, (long) DEPTH * TILE);
        cx.launch(new LoopProgram.BlockLaunch(List.of(blocks(nc), blocks(m), matrices), THREADS, List.of(as, bs)));

        var body = new ArrayList<Stmt>();
        Expr t = declare(body, "t", new Expr.GpuIndex(Expr.GpuAxis.THREAD));
        Expr tx = declare(body, "tx", Ix.mod(t, Ix.idx(STRIDE))), ty = declare(body, "ty", Ix.div(t, Ix.idx(STRIDE)));
        Expr row0 = declare(body, "row0", Ix.mul(new Expr.GpuIndex(Expr.GpuAxis.BLOCK_Y), Ix.idx(TILE)));
        Expr col0 = declare(body, "col0", Ix.mul(new Expr.GpuIndex(Expr.GpuAxis.BLOCK_X), Ix.idx(TILE)));
        // the matrix of the batch, as an index per batch dimension (innermost fastest)
        var batch = new ArrayList<Expr>();
        Expr z = declare(body, "z", new Expr.GpuIndex(Expr.GpuAxis.BLOCK_Z));
        for (int i = batchShape.size() - 1; i >= 0; i--) {
            Expr d = Ix.dim(batchShape.get(i));
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
        boolean aT = transposed(aId), bT = transposed(bId);
        for (int part = 0; part < TILE * DEPTH / THREADS; part++) {
            Expr e = declare(step, "e", Ix.add(t, Ix.idx((long) THREADS * part)));
            // A's tile: TILE rows of m by DEPTH of k; consecutive e along A's contiguous axis
            Expr am = declare(step, "am", aT ? Ix.mod(e, Ix.idx(TILE)) : Ix.div(e, Ix.idx(DEPTH)));
            Expr ak = declare(step, "ak", aT ? Ix.div(e, Ix.idx(TILE)) : Ix.mod(e, Ix.idx(DEPTH)));
            step.add(guardedCopy(as, Ix.add(Ix.mul(ak, Ix.idx(TILE)), am), Ix.add(row0, am), m, Ix.add(k0v, ak), k,
                    (gm, gk) -> pointwise.value(aId, concat(batch, gm, gk))));
            // B's tile: DEPTH rows of k by TILE of n
            Expr bn = declare(step, "bn", bT ? Ix.div(e, Ix.idx(DEPTH)) : Ix.mod(e, Ix.idx(TILE)));
            Expr bk = declare(step, "bk", bT ? Ix.mod(e, Ix.idx(DEPTH)) : Ix.div(e, Ix.idx(TILE)));
            step.add(guardedCopy(bs, Ix.add(Ix.mul(bk, Ix.idx(TILE)), bn), Ix.add(k0v, bk), k, Ix.add(col0, bn), nc,
                    (gk, gn) -> pointwise.value(bId, concat(batch, gk, gn))));
        }
        step.add(new Stmt.Barrier());
        // the DEPTH k of the slice written out one after another: registers, no loop counter
        for (int kk = 0; kk < DEPTH; kk++) {
            var a = new Expr[PER];
            var b = new Expr[PER];
            for (int i = 0; i < PER; i++) {
                a[i] = declare(step, "a", new Expr.Load(as, Ix.add(Ix.idx((long) kk * TILE), Ix.add(ty, Ix.idx((long) STRIDE * i))), f32), f32);
                b[i] = declare(step, "b", new Expr.Load(bs, Ix.add(Ix.idx((long) kk * TILE), Ix.add(tx, Ix.idx((long) STRIDE * i))), f32), f32);
            }
            for (int i = 0; i < PER; i++) {
                for (int j = 0; j < PER; j++) step.add(new Stmt.Assign(((Expr.Var) acc[i][j]).name(), new Expr.Fma(a[i], b[j], acc[i][j])));
            }
        }
        step.add(new Stmt.Barrier());
        body.add(new Stmt.Loop(k0, Ix.idx(0), k, DEPTH, Stmt.Schedule.SERIAL, new Stmt.Block(step)));

        for (int i = 0; i < PER; i++) {
            for (int j = 0; j < PER; j++) {
                Expr gm = Ix.add(row0, Ix.add(ty, Ix.idx((long) STRIDE * i))), gn = Ix.add(col0, Ix.add(tx, Ix.idx((long) STRIDE * j)));
                var index = new ArrayList<>(batch);
                index.add(gm);
                index.add(gn);
                var store = new ArrayList<Stmt>(List.of(new Stmt.Store(out, Ix.linear(index, shape), acc[i][j])));
                if (epilogue >= 0) store.add(new Stmt.Store(out, Ix.linear(index, shape), pointwise.compute(epilogue, index)));
                body.add(new Stmt.If(Ix.and(Ix.cmp(BinaryFn.LT, gm, m), Ix.cmp(BinaryFn.LT, gn, nc)), new Stmt.Block(store), new Stmt.Block(List.of())));
            }
        }
        return new Stmt.Block(body);
    }

    private interface Element {
        Expr at(Expr row, Expr col);
    }

    /** {@code shared[at] = element(row, col)} where {@code row < rows && col < cols}, else 0. */
    private static Stmt guardedCopy(int shared, Expr at, Expr row, Expr rows, Expr col, Expr cols, Element element) {
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
