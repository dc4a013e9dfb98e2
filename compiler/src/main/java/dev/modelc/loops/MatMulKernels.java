package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.block;
import static dev.modelc.loops.KernelContext.cast;
import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [..., M, K] @ [..., K, N]} over equal leading axes. An operand may be a buffer or the
 * transpose of a buffer's last two axes, read through the swapped index (no transposed copy).
 *
 * <p>f32 takes a packed, blocked, register-tiled kernel. B's full 16-column strips are packed
 * into a scratch buffer, each strip {@code K x 16} contiguous (a transposed B is gathered there),
 * and k goes in blocks of {@value #K_BLOCK}, so that a strip's k-block of packed B (16 KiB) stays
 * in L1 while the row tiles of a block of about 32 rows stream it, the block's rows of A in L2.
 * The parallel loop runs over blocks of columns or of rows ({@link MatMulSplit}): when A is no
 * larger than B, each iteration takes a few strips, packs them and runs every block of rows over
 * them, so that a thread streams only the packed B it wrote and the threads share only A;
 * otherwise each iteration takes a block of rows over all of B, packed first. A transposed A is
 * gathered into 4-row tiles per block of rows (before the column blocks, all of it). The register
 * tile is {@value #ROWS} rows x 2 vectors: {@code 2*ROWS} accumulators, per k two vector loads of
 * packed B and a broadcast A element per row. Each k-block after the first starts from the
 * partial sums stored in C, so every element is still one FMA chain over k = 0, 1, ..., K-1 in
 * order, however C is cut: blocking and splitting change no bits. Rows past the last full tile
 * take a one-row tile; columns past the last strip (in the last column block) an 8-wide tile (B
 * read in place, when not transposed) and then scalar FMA dot products. B is read in place
 * instead of packed when M is a constant below {@value #PACK_MIN_ROWS} and B is not transposed.
 * Accumulation is f32 with fused multiply-adds, so results differ from the interpreter (which
 * accumulates in double) by rounding only.
 *
 * <p>A matmul kernel may carry a pointwise epilogue (see {@code Fusion}): the kernel stores the
 * epilogue's root, which reads the product only elementwise. Each tile of C is stored, and once
 * its last k-block is in, the epilogue is computed over it from the just-stored values (still in
 * L1) and stored over them.
 *
 * <p>Other element types take a plain dot product per element, accumulated in double (floats)
 * or i64 (ints) and rounded once, exactly as the interpreter does.
 */
final class MatMulKernels {
    /** Rows of C per register tile. */
    static final int ROWS = 4;
    /** The depth of a k-block. */
    static final int K_BLOCK = 256;
    /** Below this many rows (when known), B is read in place instead of packed. */
    static final int PACK_MIN_ROWS = 16;

    private final KernelContext cx;
    private final Pointwise pointwise;
    private final int lanes;

    MatMulKernels(KernelContext cx, Pointwise pointwise, int vectorBits) {
        this.cx = cx;
        this.pointwise = pointwise;
        this.lanes = vectorBits / 32;
    }

    /** An operand: the buffer it reads and whether it reads it through a transpose of the last two axes. */
    private record Operand(int buffer, boolean transposed) {}

    private Operand operand(int id) {
        int b = cx.buffer(id);
        if (b >= 0) return new Operand(b, false);
        var n = cx.node(id);
        if (n.op() instanceof Op.Transpose t && isLastTwoSwap(t.perm()) && cx.buffer(n.inputs().get(0)) >= 0) {
            return new Operand(cx.buffer(n.inputs().get(0)), true);
        }
        throw new IllegalStateException("matmul operand %" + id + " (" + n.op() + ") has no buffer");
    }

    /** True for {@code [0, 1, ..., r-3, r-1, r-2]}. */
    static boolean isLastTwoSwap(List<Integer> perm) {
        int r = perm.size();
        if (r < 2) return false;
        for (int i = 0; i < r - 2; i++) if (perm.get(i) != i) return false;
        return perm.get(r - 2) == r - 1 && perm.get(r - 1) == r - 2;
    }

    /**
     * The kernel of matmul {@code n}; with {@code epilogue} ≥ 0, the kernel stores that node
     * instead (a pointwise node reading {@code n} only elementwise, of {@code n}'s shape and type)
     * into {@code out}.
     */
    Stmt matmul(Node n, int out, int epilogue) {
        var shape = n.type().shape();
        pointwise.clearBindings();
        if (epilogue >= 0) pointwise.bindToBuffer(n.id(), out);
        if (n.type().dtype() == DType.F32 && lanes >= 2) {
            int r = shape.size();
            if (r > 2) return cx.nest(shape.subList(0, r - 2), "t", Stmt.Schedule.PARALLEL, batch -> tiled(n, out, epilogue, batch, false));
            return tiled(n, out, epilogue, List.of(), true);
        }
        return plain(n, out, epilogue);
    }

    /** The operands and result of one matrix of the batch, as base offsets and sizes. */
    private record Operands(Operand a, Operand b, int c, Expr aBase, Expr bBase, Expr cBase, Expr m, Expr k, Expr nCols) {
        Expr aAt(Expr row, Expr col) {
            return Ix.add(aBase, a.transposed() ? Ix.add(Ix.mul(col, m), row) : Ix.add(Ix.mul(row, k), col));
        }

        Expr bAt(Expr row, Expr col) {
            return Ix.add(bBase, b.transposed() ? Ix.add(Ix.mul(col, k), row) : Ix.add(Ix.mul(row, nCols), col));
        }

        Expr cAt(Expr row, Expr col) { return Ix.add(cBase, Ix.add(Ix.mul(row, nCols), col)); }
    }

    /** Where the tile reads B: packed (strip j at {@code base + j*K}, rows of 16) or in place. */
    private record BSource(int packed, Expr base) {
        boolean isPacked() { return packed >= 0; }
    }

    /**
     * One matrix's f32 kernel: its operands and epilogue, where the tiles read A and B (packed,
     * or in place: {@code packed < 0}), where the full strips, the 8-wide tail and the scalar
     * columns start and end, and the height of a block of rows.
     */
    private record Plan(Operands o, Epilogue epi, BSource a, BSource b, Expr fullRows, Expr fullCols, Expr halfCols, long rowBlock,
            boolean kBlocked) {}

    /** A block of rows {@code [start, end)}, whose full {@value #ROWS}-row tiles end at {@code fullEnd}. */
    private record Rows(Expr start, Expr end, Expr fullEnd) {}

    private static final BSource IN_PLACE = new BSource(-1, null);

    private Stmt tiled(Node n, int out, int epilogue, List<Expr> batch, boolean parallel) {
        var aNode = cx.node(n.inputs().get(0));
        var shape = n.type().shape();
        int r = shape.size();
        Expr m = Ix.dim(shape.get(r - 2)), k = Ix.dim(aNode.type().shape().get(r - 1)), nc = Ix.dim(shape.get(r - 1));
        Expr matrix = Ix.linear(batch, shape.subList(0, r - 2));
        Operand a = operand(n.inputs().get(0)), b = operand(n.inputs().get(1));
        var o = new Operands(a, b, out, Ix.mul(matrix, Ix.mul(m, k)), Ix.mul(matrix, Ix.mul(k, nc)), Ix.mul(matrix, Ix.mul(m, nc)), m, k, nc);
        int w = 2 * lanes;
        Expr fullCols = Ix.mul(Ix.div(nc, Ix.idx(w)), Ix.idx(w));
        // the 8-wide tail reads B in place: not through a transpose, where it would gather at a stride of K
        Expr halfCols = b.transposed() ? fullCols : Ix.mul(Ix.div(nc, Ix.idx(lanes)), Ix.idx(lanes));
        long rowsKnown = m instanceof Expr.Index mi ? mi.value() : -1;
        boolean pack = !isZero(fullCols) && (b.transposed() || rowsKnown < 0 || rowsKnown >= PACK_MIN_ROWS);
        // packed B takes as many elements as B has (the full strips of every matrix of the batch fit);
        // a transposed A is packed (in 4-row tiles) when B is
        var bSrc = pack ? new BSource(cx.scratch(DType.F32, cx.node(n.inputs().get(1)).type().shape()), o.bBase()) : IN_PLACE;
        var aSrc = pack && a.transposed() ? new BSource(cx.scratch(DType.F32, aNode.type().shape()), o.aBase()) : IN_PLACE;
        var p = new Plan(o, new Epilogue(epilogue, batch, shape), aSrc, bSrc, Ix.mul(Ix.div(m, Ix.idx(ROWS)), Ix.idx(ROWS)), fullCols, halfCols,
                MatMulSplit.rowBlock(rowsKnown, ROWS), !(k instanceof Expr.Index ki && ki.value() <= K_BLOCK));
        var schedule = parallel ? Stmt.Schedule.PARALLEL : Stmt.Schedule.SERIAL;
        long depthKnown = k instanceof Expr.Index ki ? ki.value() : -1, cols = nc instanceof Expr.Index ni ? ni.value() : -1;
        if (MatMulSplit.of(rowsKnown, depthKnown, cols, w) == MatMulSplit.Kind.COLUMNS) {
            long strips = cols / w;
            return columnBlocks(p, strips, MatMulSplit.columnBlocks(strips, rowsKnown, depthKnown, w), schedule);
        }
        var parts = new ArrayList<Stmt>();
        if (pack) parts.add(pack(p, Ix.idx(0), fullCols, schedule));
        parts.add(overRowBlocks(p, schedule, rows -> {
            var body = new ArrayList<Stmt>();
            if (aSrc.isPacked()) body.add(gatherA(p, rows));
            if (!isZero(fullCols)) body.add(strips(p, rows, Ix.idx(0), fullCols));
            body.addAll(tails(p, rows));
            return body;
        }));
        return new Stmt.Block(parts);
    }

    /** The loop over blocks of rows, with {@code body} per block. */
    private Stmt overRowBlocks(Plan p, Stmt.Schedule schedule, java.util.function.Function<Rows, List<Stmt>> body) {
        Expr m = p.o().m();
        String ib = cx.fresh("i"), ie = cx.fresh("ie"), ife = cx.fresh("if");
        var ibv = new Expr.Var(ib, LType.INDEX);
        var stmts = new ArrayList<Stmt>();
        stmts.add(new Stmt.Declare(ie, LType.INDEX, Ix.min(Ix.add(ibv, Ix.idx(p.rowBlock())), m)));
        stmts.add(new Stmt.Declare(ife, LType.INDEX, Ix.min(Ix.add(ibv, Ix.idx(p.rowBlock())), p.fullRows())));
        stmts.addAll(body.apply(new Rows(ibv, new Expr.Var(ie, LType.INDEX), new Expr.Var(ife, LType.INDEX))));
        return new Stmt.Loop(ib, Ix.idx(0), m, p.rowBlock(), schedule, new Stmt.Block(stmts));
    }

    /**
     * The loop over column blocks: the strips dealt evenly into {@code aimed} blocks, or one per
     * {@value MatMulSplit#COLUMN_BLOCK_ROWS} rows of C where that is fewer (M is known only at run
     * time when symbolic). Each block packs its strips, then runs every block of rows over them;
     * the last also takes the columns past the strips. A transposed A is gathered first, for all
     * rows, as every column block reads all of it.
     */
    private Stmt columnBlocks(Plan p, long strips, long aimed, Stmt.Schedule schedule) {
        var parts = new ArrayList<Stmt>();
        if (p.a().isPacked()) parts.add(overRowBlocks(p, schedule, rows -> List.of(gatherA(p, rows))));
        long w = 2L * lanes;
        Expr blocks = Ix.min(Ix.idx(aimed), Ix.div(Ix.add(p.o().m(), Ix.idx(MatMulSplit.COLUMN_BLOCK_ROWS - 1)), Ix.idx(MatMulSplit.COLUMN_BLOCK_ROWS)));
        String c = cx.fresh("cb"), jb = cx.fresh("jb"), je = cx.fresh("je");
        var cv = new Expr.Var(c, LType.INDEX);
        var jbv = new Expr.Var(jb, LType.INDEX);
        var jev = new Expr.Var(je, LType.INDEX);
        var body = new ArrayList<Stmt>();
        body.add(new Stmt.Declare(jb, LType.INDEX, Ix.mul(Ix.div(Ix.mul(cv, Ix.idx(strips)), blocks), Ix.idx(w))));
        body.add(new Stmt.Declare(je, LType.INDEX, Ix.mul(Ix.div(Ix.mul(Ix.add(cv, Ix.idx(1)), Ix.idx(strips)), blocks), Ix.idx(w))));
        if (p.b().isPacked()) body.add(pack(p, jbv, jev, Stmt.Schedule.SERIAL));
        Expr last = Ix.cmp(BinaryFn.GE, jev, p.fullCols());
        // the row blocks are a parallel loop too (nested: inside a chunk of the column blocks it runs
        // inline). The JVM backend then compiles them as a method of their own, which C2 ran twice
        // as fast as one method holding the whole column block (measured: 35 and 75 GFLOP/s on one
        // thread at 128x784x256)
        body.add(overRowBlocks(p, schedule, rows -> {
            var stmts = new ArrayList<Stmt>();
            stmts.add(strips(p, rows, jbv, jev));
            var tails = tails(p, rows);
            if (!tails.isEmpty()) stmts.add(new Stmt.If(last, new Stmt.Block(tails), new Stmt.Block(List.of())));
            return stmts;
        }));
        parts.add(new Stmt.Loop(c, Ix.idx(0), blocks, 1, schedule, new Stmt.Block(body)));
        return new Stmt.Block(parts);
    }

    /**
     * A transposed A's full tiles in a block of rows, gathered into scratch with each tile's rows
     * interleaved (row i + r, k at i*K + ROWS*k + r), so that a tile reads A contiguously instead
     * of ROWS floats at a stride of M per k.
     */
    private Stmt gatherA(Plan p, Rows rows) {
        var o = p.o();
        String kk = cx.fresh("k"), ii = cx.fresh("i");
        var kv = new Expr.Var(kk, LType.INDEX);
        var iv = new Expr.Var(ii, LType.INDEX);
        var copies = new ArrayList<Stmt>();
        for (int row = 0; row < ROWS; row++) {
            copies.add(new Stmt.Store(p.a().packed(), Ix.add(Ix.add(p.a().base(), Ix.add(Ix.mul(iv, o.k()), Ix.mul(kv, Ix.idx(ROWS)))), Ix.idx(row)),
                    new Expr.Load(o.a().buffer(), o.aAt(Ix.add(iv, Ix.idx(row)), kv), LType.scalar(DType.F32))));
        }
        return new Stmt.Loop(kk, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL,
                new Stmt.Loop(ii, rows.start(), rows.fullEnd(), ROWS, Stmt.Schedule.SERIAL, new Stmt.Block(copies)));
    }

    /** The strips in columns {@code [lo, hi)} over a block of rows: k-blocks, then strips, then the row tiles. */
    private Stmt strips(Plan p, Rows rows, Expr lo, Expr hi) {
        Expr k = p.o().k(), kLo = Ix.idx(0), kHi = k;
        String kb = null, ke = null;
        if (p.kBlocked()) {
            kb = cx.fresh("kb");
            ke = cx.fresh("ke");
            kLo = new Expr.Var(kb, LType.INDEX);
            kHi = new Expr.Var(ke, LType.INDEX);
        }
        String j = cx.fresh("j"), i0 = cx.fresh("i"), i1 = cx.fresh("i");
        var jv = new Expr.Var(j, LType.INDEX);
        var strip = block(
                new Stmt.Loop(i0, rows.start(), rows.fullEnd(), ROWS, Stmt.Schedule.SERIAL,
                        tile(p.o(), p.epi(), p.a(), p.b(), new Expr.Var(i0, LType.INDEX), jv, ROWS, 2, kLo, kHi, p.kBlocked())),
                new Stmt.Loop(i1, Ix.max(rows.start(), p.fullRows()), rows.end(), 1, Stmt.Schedule.SERIAL,
                        tile(p.o(), p.epi(), IN_PLACE, p.b(), new Expr.Var(i1, LType.INDEX), jv, 1, 2, kLo, kHi, p.kBlocked())));
        Stmt strips = new Stmt.Loop(j, lo, hi, 2L * lanes, Stmt.Schedule.SERIAL, strip);
        if (!p.kBlocked()) return strips;
        return new Stmt.Loop(kb, Ix.idx(0), k, K_BLOCK, Stmt.Schedule.SERIAL,
                block(new Stmt.Declare(ke, LType.INDEX, Ix.min(Ix.add(kLo, Ix.idx(K_BLOCK)), k)), strips));
    }

    /** The columns past the strips over a block of rows: one 8-wide vector (B in place), then scalar dot products. */
    private List<Stmt> tails(Plan p, Rows rows) {
        var o = p.o();
        var out = new ArrayList<Stmt>();
        if (!p.halfCols().equals(p.fullCols())) {
            String j = cx.fresh("j"), i0 = cx.fresh("i"), i1 = cx.fresh("i");
            var jv = new Expr.Var(j, LType.INDEX);
            var half = block(
                    new Stmt.Loop(i0, rows.start(), rows.fullEnd(), ROWS, Stmt.Schedule.SERIAL,
                            tile(o, p.epi(), p.a(), IN_PLACE, new Expr.Var(i0, LType.INDEX), jv, ROWS, 1, Ix.idx(0), o.k(), false)),
                    new Stmt.Loop(i1, Ix.max(rows.start(), p.fullRows()), rows.end(), 1, Stmt.Schedule.SERIAL,
                            tile(o, p.epi(), IN_PLACE, IN_PLACE, new Expr.Var(i1, LType.INDEX), jv, 1, 1, Ix.idx(0), o.k(), false)));
            out.add(new Stmt.Loop(j, p.fullCols(), p.halfCols(), lanes, Stmt.Schedule.SERIAL, half));
        }
        if (!p.halfCols().equals(o.nCols())) {
            String i = cx.fresh("i"), j = cx.fresh("j");
            var iv = new Expr.Var(i, LType.INDEX);
            var jv = new Expr.Var(j, LType.INDEX);
            out.add(new Stmt.Loop(i, rows.start(), rows.end(), 1, Stmt.Schedule.SERIAL,
                    new Stmt.Loop(j, p.halfCols(), o.nCols(), 1, Stmt.Schedule.SERIAL, block(dot(o, iv, jv), p.epi().at(o, iv, jv, 1)))));
        }
        return out;
    }

    private static boolean isZero(Expr e) { return e instanceof Expr.Index z && z.value() == 0; }

    /** Copies B's strips in columns {@code [lo, hi)} into the scratch buffer: strip j's row k at {@code base + j*K + k*16}. */
    private Stmt pack(Plan p, Expr lo, Expr hi, Stmt.Schedule schedule) {
        var o = p.o();
        var src = p.b();
        int w = 2 * lanes;
        String j = cx.fresh("j"), kk = cx.fresh("k");
        var jv = new Expr.Var(j, LType.INDEX);
        var kv = new Expr.Var(kk, LType.INDEX);
        Expr stripBase = Ix.add(src.base(), Ix.mul(jv, o.k()));
        Stmt body;
        if (!o.b().transposed()) {
            var vec = new LType.Vector(DType.F32, lanes);
            var copies = new ArrayList<Stmt>();
            for (int h = 0; h < 2; h++) {
                copies.add(new Stmt.Store(src.packed(), Ix.add(Ix.add(stripBase, Ix.mul(kv, Ix.idx(w))), Ix.idx((long) h * lanes)),
                        new Expr.Load(o.b().buffer(), o.bAt(kv, Ix.add(jv, Ix.idx((long) h * lanes))), vec)));
            }
            body = new Stmt.Loop(kk, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL, new Stmt.Block(copies));
        } else {
            // column l of the strip is row j + l of the stored matrix, contiguous in k
            String l = cx.fresh("l");
            var lv = new Expr.Var(l, LType.INDEX);
            body = new Stmt.Loop(l, Ix.idx(0), Ix.idx(w), 1, Stmt.Schedule.SERIAL,
                    new Stmt.Loop(kk, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL,
                            new Stmt.Store(src.packed(), Ix.add(Ix.add(stripBase, Ix.mul(kv, Ix.idx(w))), lv),
                                    new Expr.Load(o.b().buffer(), o.bAt(kv, Ix.add(jv, lv)), LType.scalar(DType.F32)))));
        }
        return new Stmt.Loop(j, lo, hi, w, schedule, body);
    }

    /**
     * The register tile at row {@code i}, columns {@code j ..+halves*lanes}: {@code rows x halves}
     * vector accumulators over k in {@code [kLo, kHi)}, starting from zero or, when
     * {@code blocked} and this is not the first k-block, from C; stored to C, then the epilogue
     * once the last k-block is in.
     */
    private Stmt tile(Operands o, Epilogue epi, BSource aSrc, BSource src, Expr i, Expr j, int rows, int halves, Expr kLo, Expr kHi, boolean blocked) {
        var vec = new LType.Vector(DType.F32, lanes);
        var acc = new String[rows][halves];
        var body = new ArrayList<Stmt>();
        var resume = new ArrayList<Stmt>();
        for (int row = 0; row < rows; row++) {
            for (int h = 0; h < halves; h++) {
                acc[row][h] = cx.fresh("c");
                body.add(new Stmt.Declare(acc[row][h], vec, new Expr.Splat(constant(DType.F32, 0), lanes)));
                resume.add(new Stmt.Assign(acc[row][h], new Expr.Load(o.c(), cAt(o, i, j, row, h), vec)));
            }
        }
        if (blocked) body.add(new Stmt.If(Ix.cmp(BinaryFn.GT, kLo, Ix.idx(0)), new Stmt.Block(resume), new Stmt.Block(List.of())));
        String k = cx.fresh("k");
        var kv = new Expr.Var(k, LType.INDEX);
        var step = new ArrayList<Stmt>();
        var bv = new String[halves];
        for (int h = 0; h < halves; h++) {
            bv[h] = cx.fresh("b");
            Expr at = src.isPacked()
                    ? Ix.add(Ix.add(Ix.add(src.base(), Ix.mul(j, o.k())), Ix.mul(kv, Ix.idx(2L * lanes))), Ix.idx((long) h * lanes))
                    : o.bAt(kv, Ix.add(j, Ix.idx((long) h * lanes)));
            step.add(new Stmt.Declare(bv[h], vec, new Expr.Load(src.isPacked() ? src.packed() : o.b().buffer(), at, vec)));
        }
        for (int row = 0; row < rows; row++) {
            Expr aLoad = aSrc.isPacked()
                    ? new Expr.Load(aSrc.packed(), Ix.add(Ix.add(aSrc.base(), Ix.add(Ix.mul(i, o.k()), Ix.mul(kv, Ix.idx(ROWS)))), Ix.idx(row)),
                            LType.scalar(DType.F32))
                    : new Expr.Load(o.a().buffer(), o.aAt(Ix.add(i, Ix.idx(row)), kv), LType.scalar(DType.F32));
            var a = new Expr.Splat(aLoad, lanes);
            for (int h = 0; h < halves; h++) {
                var c = new Expr.Var(acc[row][h], vec);
                step.add(new Stmt.Assign(acc[row][h], new Expr.Fma(a, new Expr.Var(bv[h], vec), c)));
            }
        }
        body.add(new Stmt.Loop(k, kLo, kHi, 1, Stmt.Schedule.SERIAL, new Stmt.Block(step)));
        for (int row = 0; row < rows; row++) {
            for (int h = 0; h < halves; h++) body.add(new Stmt.Store(o.c(), cAt(o, i, j, row, h), new Expr.Var(acc[row][h], vec)));
        }
        if (epi.present()) {
            var after = new ArrayList<Stmt>();
            for (int row = 0; row < rows; row++) {
                for (int h = 0; h < halves; h++) after.add(epi.at(o, Ix.add(i, Ix.idx(row)), Ix.add(j, Ix.idx((long) h * lanes)), lanes));
            }
            Stmt e = new Stmt.Block(after);
            body.add(blocked ? new Stmt.If(Ix.cmp(BinaryFn.GE, kHi, o.k()), e, new Stmt.Block(List.of())) : e);
        }
        return new Stmt.Block(body);
    }

    private Expr cAt(Operands o, Expr i, Expr j, int row, int h) {
        return o.cAt(Ix.add(i, Ix.idx(row)), Ix.add(j, Ix.idx((long) h * lanes)));
    }

    /** One element of C as a scalar f32 dot product with fused multiply-adds. */
    private Stmt dot(Operands o, Expr i, Expr j) {
        String s = cx.fresh("s"), k = cx.fresh("k");
        var sv = new Expr.Var(s, LType.scalar(DType.F32));
        var kv = new Expr.Var(k, LType.INDEX);
        var product = new Expr.Fma(new Expr.Load(o.a().buffer(), o.aAt(i, kv), LType.scalar(DType.F32)),
                new Expr.Load(o.b().buffer(), o.bAt(kv, j), LType.scalar(DType.F32)), sv);
        return block(new Stmt.Declare(s, LType.scalar(DType.F32), constant(DType.F32, 0)),
                new Stmt.Loop(k, Ix.idx(0), o.k(), 1, Stmt.Schedule.SERIAL, new Stmt.Assign(s, product)),
                new Stmt.Store(o.c(), o.cAt(i, j), sv));
    }

    /**
     * The epilogue of one matrix of the batch: node {@code root} (or none, -1) computed at C's
     * index from the product stored there, and stored over it.
     */
    private final class Epilogue {
        final int root;
        final List<Expr> batch;
        final List<dev.modelc.check.DimExpr> shape;

        Epilogue(int root, List<Expr> batch, List<dev.modelc.check.DimExpr> shape) {
            this.root = root;
            this.batch = batch;
            this.shape = shape;
        }

        boolean present() { return root >= 0; }

        /** The epilogue over row {@code i}, columns {@code j ..+width}: one vector where exact, else scalars. */
        Stmt at(Operands o, Expr i, Expr j, int width) {
            if (root < 0) return new Stmt.Block(List.of());
            String e = cx.fresh("e");
            var ev = new Expr.Var(e, LType.INDEX);
            var index = new ArrayList<>(batch);
            index.add(i);
            index.add(ev);
            Expr scalar = pointwise.compute(root, index);
            Expr at = Ix.linear(index, shape);
            if (width > 1) {
                var vector = new Vectorizer(e, lanes).vectorize(scalar);
                if (vector.isPresent() && width == lanes) {
                    return block(new Stmt.Declare(e, LType.INDEX, j), new Stmt.Store(o.c(), at, vector.get()));
                }
                return new Stmt.Loop(e, j, Ix.add(j, Ix.idx(width)), 1, Stmt.Schedule.SERIAL, new Stmt.Store(o.c(), at, scalar));
            }
            return block(new Stmt.Declare(e, LType.INDEX, j), new Stmt.Store(o.c(), at, scalar));
        }
    }

    /** A dot product per element, accumulated in double or i64 and rounded once, as the interpreter does. */
    private Stmt plain(Node n, int out, int epilogue) {
        int aId = n.inputs().get(0), bId = n.inputs().get(1);
        var aShape = cx.node(aId).type().shape();
        var shape = n.type().shape();
        int r = shape.size();
        DType t = n.type().dtype();
        DType acc = KernelContext.accumulator(t);
        var kDim = aShape.get(r - 1);
        return cx.nest(shape, "i", Stmt.Schedule.PARALLEL, index -> {
            String s = cx.fresh("acc"), k = cx.fresh("k");
            var sv = new Expr.Var(s, LType.scalar(acc));
            var kv = new Expr.Var(k, LType.INDEX);
            var aIndex = new ArrayList<>(index.subList(0, r - 1));
            aIndex.add(kv);
            var bIndex = new ArrayList<>(index.subList(0, r - 2));
            bIndex.add(kv);
            bIndex.add(index.get(r - 1));
            // through Pointwise.value, so that a transposed operand is read through its swapped index
            Expr product = new Expr.Binary(BinaryFn.MUL, cast(pointwise.value(aId, aIndex), acc), cast(pointwise.value(bId, bIndex), acc),
                    LType.scalar(acc));
            var stmts = new ArrayList<Stmt>(List.of(new Stmt.Declare(s, LType.scalar(acc), constant(acc, 0)),
                    new Stmt.Loop(k, Ix.idx(0), Ix.dim(kDim), 1, Stmt.Schedule.SERIAL,
                            new Stmt.Assign(s, new Expr.Binary(BinaryFn.ADD, sv, product, sv.type()))),
                    new Stmt.Store(out, Ix.linear(index, shape), cast(sv, t))));
            if (epilogue >= 0) stmts.add(new Stmt.Store(out, Ix.linear(index, shape), pointwise.compute(epilogue, index)));
            return new Stmt.Block(stmts);
        });
    }
}
