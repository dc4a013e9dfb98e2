package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.block;
import static dev.modelc.loops.KernelContext.cast;
import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [..., M, K] @ [..., K, N]} over equal leading axes.
 *
 * <p>f32 takes a register-blocked micro-kernel: a {@value #ROWS}x{@code 2*lanes} tile of C held in
 * {@code 2*ROWS} vector accumulators over k, each step loading two vectors of a B row and
 * broadcasting one A element per row (the recipe measured at ~64 GFLOP/s per core on the JVM).
 * Rows past the last full tile take a one-row version, columns past the last full vector a
 * scalar dot product. Blocks of rows are the parallel, outer loop, unless B is too large for L2
 * cache, when strips of columns are (see {@link #columnsOuter}). It accumulates in f32 with fused multiply-adds, so it differs from the
 * interpreter (which accumulates in double) by rounding only.
 *
 * <p>Other element types take a plain dot product per element, accumulated in double (floats)
 * or i64 (ints) and rounded once, exactly as the interpreter does.
 */
final class MatMulKernels {
    /** Rows of C per register tile. */
    static final int ROWS = 4;

    private final KernelContext cx;
    private final int lanes;

    MatMulKernels(KernelContext cx, int vectorBits) {
        this.cx = cx;
        this.lanes = vectorBits / 32;
    }

    Stmt matmul(Node n, int out) {
        var shape = n.type().shape();
        if (n.type().dtype() == DType.F32 && lanes >= 2) {
            int r = shape.size();
            return cx.nest(shape.subList(0, r - 2), "t", Stmt.Schedule.PARALLEL, batch -> tiled(n, out, batch));
        }
        return plain(n, out);
    }

    /** The operands and result of one matrix of the batch, as base offsets and sizes. */
    private record Operands(int a, int b, int c, Expr aBase, Expr bBase, Expr cBase, Expr m, Expr k, Expr nCols) {
        Expr aAt(Expr row, Expr col) { return Ix.add(aBase, Ix.add(Ix.mul(row, k), col)); }

        Expr bAt(Expr row, Expr col) { return Ix.add(bBase, Ix.add(Ix.mul(row, nCols), col)); }

        Expr cAt(Expr row, Expr col) { return Ix.add(cBase, Ix.add(Ix.mul(row, nCols), col)); }
    }

    private Stmt tiled(Node n, int out, List<Expr> batch) {
        var aShape = cx.node(n.inputs().get(0)).type().shape();
        var shape = n.type().shape();
        int r = shape.size();
        Expr m = Ix.dim(shape.get(r - 2)), k = Ix.dim(aShape.get(r - 1)), nc = Ix.dim(shape.get(r - 1));
        Expr matrix = Ix.linear(batch, shape.subList(0, r - 2));
        var ops = new Operands(cx.buffer(n.inputs().get(0)), cx.buffer(n.inputs().get(1)), out,
                Ix.mul(matrix, Ix.mul(m, k)), Ix.mul(matrix, Ix.mul(k, nc)), Ix.mul(matrix, Ix.mul(m, nc)), m, k, nc);
        Expr fullRows = Ix.mul(Ix.div(m, Ix.idx(ROWS)), Ix.idx(ROWS));
        Expr fullCols = Ix.mul(Ix.div(nc, Ix.idx(2L * lanes)), Ix.idx(2L * lanes));
        if (r == 2 && bIsLarge(k, nc)) return columnsOuter(ops, fullRows, fullCols);
        String i0 = cx.fresh("i"), i1 = cx.fresh("i");
        var tileRows = new Stmt.Loop(i0, Ix.idx(0), fullRows, ROWS, r == 2 ? Stmt.Schedule.PARALLEL : Stmt.Schedule.SERIAL,
                rowBlock(ops, new Expr.Var(i0, LType.INDEX), ROWS, fullCols));
        var lastRows = new Stmt.Loop(i1, fullRows, m, 1, Stmt.Schedule.SERIAL, rowBlock(ops, new Expr.Var(i1, LType.INDEX), 1, fullCols));
        return block(tileRows, lastRows);
    }

    /** B elements above which a plain matrix product may walk column strips outermost: a 256 KB B, half of a core's L2 cache. */
    static final long LARGE_B = 1 << 16;

    /**
     * Whether B has more than {@link #LARGE_B} elements and is wider than it is deep: then A, which
     * every strip re-reads, has fewer columns than B and is the one likelier to stay in cache (a
     * layer's input gradient, {@code [B, 128] @ [128, 1600]}). A deep B ({@code [B, 1600] @ [1600,
     * 128]}) keeps the row-block order, which measured no slower there.
     */
    private static boolean bIsLarge(Expr k, Expr nc) {
        return k instanceof Expr.Index kk && nc instanceof Expr.Index nn && kk.value() * nn.value() > LARGE_B && kk.value() < nn.value();
    }

    /**
     * A plain matrix product whose B does not fit in L2 cache (a dense layer's weights): the
     * parallel loop runs over strips of {@code 2*lanes} columns, and each strip's tiles go down
     * all the rows, so the strip of B (K x 2*lanes) stays in cache while A streams past, where
     * the row-block order would read all of B again for every block of rows. The columns past
     * the last strip take a parallel loop over rows. Each element is the same dot product either
     * way, so the result is the same to the bit.
     */
    private Stmt columnsOuter(Operands o, Expr fullRows, Expr fullCols) {
        String j = cx.fresh("j"), i0 = cx.fresh("i"), i1 = cx.fresh("i");
        var jv = new Expr.Var(j, LType.INDEX);
        var strip = block(new Stmt.Loop(i0, Ix.idx(0), fullRows, ROWS, Stmt.Schedule.SERIAL, tile(o, new Expr.Var(i0, LType.INDEX), jv, ROWS)),
                new Stmt.Loop(i1, fullRows, o.m(), 1, Stmt.Schedule.SERIAL, tile(o, new Expr.Var(i1, LType.INDEX), jv, 1)));
        var parts = new ArrayList<Stmt>();
        if (!(fullCols instanceof Expr.Index z && z.value() == 0)) parts.add(new Stmt.Loop(j, Ix.idx(0), fullCols, 2L * lanes, Stmt.Schedule.PARALLEL, strip));
        if (!fullCols.equals(o.nCols())) {
            String i = cx.fresh("i"), jt = cx.fresh("j");
            var iv = new Expr.Var(i, LType.INDEX);
            parts.add(new Stmt.Loop(i, Ix.idx(0), o.m(), 1, Stmt.Schedule.PARALLEL,
                    new Stmt.Loop(jt, fullCols, o.nCols(), 1, Stmt.Schedule.SERIAL, dot(o, iv, new Expr.Var(jt, LType.INDEX)))));
        }
        return new Stmt.Block(parts);
    }

    /** {@code rows} rows of C from row {@code i}: full vector tiles, then the remaining columns one by one. */
    private Stmt rowBlock(Operands o, Expr i, int rows, Expr fullCols) {
        String j = cx.fresh("j"), jt = cx.fresh("j");
        var jv = new Expr.Var(j, LType.INDEX);
        var jtv = new Expr.Var(jt, LType.INDEX);
        var tail = new ArrayList<Stmt>();
        for (int row = 0; row < rows; row++) tail.add(dot(o, Ix.add(i, Ix.idx(row)), jtv));
        var parts = new ArrayList<Stmt>();
        // with constant sizes, a part known to be empty is left out
        if (!(fullCols instanceof Expr.Index z && z.value() == 0)) {
            parts.add(new Stmt.Loop(j, Ix.idx(0), fullCols, 2L * lanes, Stmt.Schedule.SERIAL, tile(o, i, jv, rows)));
        }
        if (!fullCols.equals(o.nCols())) parts.add(new Stmt.Loop(jt, fullCols, o.nCols(), 1, Stmt.Schedule.SERIAL, new Stmt.Block(tail)));
        return new Stmt.Block(parts);
    }

    /** The register tile: rows x 2 vectors of accumulators, k steps of two B loads and one broadcast per row. */
    private Stmt tile(Operands o, Expr i, Expr j, int rows) {
        var vec = new LType.Vector(DType.F32, lanes);
        var acc = new String[rows][2];
        var body = new ArrayList<Stmt>();
        for (int row = 0; row < rows; row++) {
            for (int h = 0; h < 2; h++) {
                acc[row][h] = cx.fresh("c");
                body.add(new Stmt.Declare(acc[row][h], vec, new Expr.Splat(constant(DType.F32, 0), lanes)));
            }
        }
        String k = cx.fresh("k"), b0 = cx.fresh("b"), b1 = cx.fresh("b");
        var kv = new Expr.Var(k, LType.INDEX);
        var step = new ArrayList<Stmt>();
        step.add(new Stmt.Declare(b0, vec, new Expr.Load(o.b(), o.bAt(kv, j), vec)));
        step.add(new Stmt.Declare(b1, vec, new Expr.Load(o.b(), o.bAt(kv, Ix.add(j, Ix.idx(lanes))), vec)));
        for (int row = 0; row < rows; row++) {
            var a = new Expr.Splat(new Expr.Load(o.a(), o.aAt(Ix.add(i, Ix.idx(row)), kv), LType.scalar(DType.F32)), lanes);
            for (int h = 0; h < 2; h++) {
                var c = new Expr.Var(acc[row][h], vec);
                step.add(new Stmt.Assign(acc[row][h], new Expr.Fma(a, new Expr.Var(h == 0 ? b0 : b1, vec), c)));
            }
        }
        body.add(new Stmt.Loop(k, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL, new Stmt.Block(step)));
        for (int row = 0; row < rows; row++) {
            for (int h = 0; h < 2; h++) {
                body.add(new Stmt.Store(o.c(), o.cAt(Ix.add(i, Ix.idx(row)), Ix.add(j, Ix.idx((long) h * lanes))), new Expr.Var(acc[row][h], vec)));
            }
        }
        return new Stmt.Block(body);
    }

    /** One element of C as a scalar f32 dot product with fused multiply-adds. */
    private Stmt dot(Operands o, Expr i, Expr j) {
        String s = cx.fresh("s"), k = cx.fresh("k");
        var sv = new Expr.Var(s, LType.scalar(DType.F32));
        var kv = new Expr.Var(k, LType.INDEX);
        var product = new Expr.Fma(new Expr.Load(o.a(), o.aAt(i, kv), LType.scalar(DType.F32)),
                new Expr.Load(o.b(), o.bAt(kv, j), LType.scalar(DType.F32)), sv);
        return block(new Stmt.Declare(s, LType.scalar(DType.F32), constant(DType.F32, 0)),
                new Stmt.Loop(k, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL, new Stmt.Assign(s, product)),
                new Stmt.Store(o.c(), o.cAt(i, j), sv));
    }

    /** A dot product per element, accumulated in double or i64 and rounded once, as the interpreter does. */
    private Stmt plain(Node n, int out) {
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
