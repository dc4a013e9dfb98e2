package dev.modelc.loops;

import static dev.modelc.loops.KernelContext.block;
import static dev.modelc.loops.KernelContext.cast;
import static dev.modelc.loops.KernelContext.constant;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.ReduceFn;
import dev.modelc.graph.Op.UnaryFn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reductions, arg-reductions and the softmax family: an outer nest over the kept axes, and for
 * each group inner nests over the reduced axes, accumulating in double (floats) or i64 (ints)
 * in C order and rounding once, as the reference interpreter does.
 */
final class ReductionKernels {
    private final KernelContext cx;
    private final Pointwise pw;

    /** Lanes of a double vector (the f32 vector width halved); below 2, no vectors. */
    private final int doubleLanes;

    ReductionKernels(KernelContext cx, Pointwise pw) { this(cx, pw, LoopLowering.VECTOR_BITS); }

    ReductionKernels(KernelContext cx, Pointwise pw, int vectorBits) {
        this.cx = cx;
        this.pw = pw;
        this.doubleLanes = vectorBits / 64;
    }

    Stmt reduce(Node n, Op.Reduce r, int out) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType t = n.type().dtype();
        DType acc = KernelContext.accumulator(t);
        if (cx.gpu && blockReduces(n, r, xShape)) return blockReduce(n, r, out);
        // on a GPU a thread per column walks down the rows, consecutive threads reading consecutive columns
        if (!cx.gpu && acc == DType.F64 && keepsOnlyTheLastAxis(r.axes(), xShape.size())) return columnSums(n, r, out);
        return cx.nest(n.type().shape(), "o", Stmt.Schedule.PARALLEL, kept -> {
            String a = cx.fresh("acc");
            var av = new Expr.Var(a, LType.scalar(acc));
            Stmt loop = groupNest(xShape, r.axes(), kept, full -> new Stmt.Assign(a, combine(r.fn(), acc, av, cast(pw.value(x, full), acc))));
            return block(new Stmt.Declare(a, LType.scalar(acc), constant(acc, identity(r.fn(), t))), loop,
                    new Stmt.Store(out, Ix.linear(kept, n.type().shape()), cast(av, t)));
        });
    }

    /** Threads per block of {@link #blockReduce}: 8 warps. */
    static final int BLOCK_THREADS = 256;

    private static final int WARP = 32;

    /** Output counts up to this get a block each when the reduction is long ({@link #blockReduces}). */
    private static final long FEW_OUTPUTS = 32;

    /**
     * Whether a GPU reduction gets a block of threads per output: few outputs (a loss, a metric;
     * a constant count of at most {@value #FEW_OUTPUTS}) each over many elements (at least
     * {@value #BLOCK_THREADS}, or a count known only at run time).
     */
    private static boolean blockReduces(Node n, Op.Reduce r, List<DimExpr> xShape) {
        var outputs = n.type().size().constantValue();
        if (outputs.isEmpty() || outputs.getAsLong() > FEW_OUTPUTS || n.type().dtype() == DType.BOOL) return false;
        DimExpr reduced = DimExpr.constant(1);
        for (int axis : r.axes()) reduced = reduced.times(xShape.get(axis));
        var length = reduced.constantValue();
        return length.isEmpty() || length.getAsLong() >= BLOCK_THREADS;
    }

    /**
     * A GPU reduction with a block of {@value #BLOCK_THREADS} threads per output: each thread
     * accumulates the elements {@code t, t + 256, …} of the reduced axes (in C order; consecutive
     * threads read consecutive elements), then the block combines them ({@link #blockCombine}).
     * Double accumulators for floats, as elsewhere; the order of the sum is not C order, so results
     * may differ from the CPUs' in the last bits.
     */
    private Stmt blockReduce(Node n, Op.Reduce r, int out) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType t = n.type().dtype(), acc = KernelContext.accumulator(t);
        LType accType = LType.scalar(acc);
        var block = new RowBlock(xShape, r.axes(), acc, Ix.idx(n.type().size().constantValue().getAsLong()));
        var body = block.start();
        String an = cx.fresh("acc");
        var av = new Expr.Var(an, accType);
        body.add(new Stmt.Declare(an, accType, constant(acc, identity(r.fn(), t))));
        body.add(block.strided(full -> new Stmt.Assign(an, combine(r.fn(), acc, av, cast(pw.value(x, full), acc)))));
        block.combine(body, r.fn(), an, identity(r.fn(), t));
        body.add(new Stmt.If(Ix.cmp(BinaryFn.EQ, block.thread(), Ix.idx(0)), new Stmt.Store(out, block.row(), cast(av, t)), new Stmt.Block(List.of())));
        return new Stmt.Block(body);
    }

    /**
     * A GPU kernel with a block of {@value #BLOCK_THREADS} threads per row of {@code shape} over
     * {@code axes} (a row: one index of the kept axes): each thread takes the row's elements
     * {@code t, t + 256, …}, and the block combines values with warp shuffles and shared memory.
     */
    private final class RowBlock {
        private final List<DimExpr> shape;
        private final List<Integer> axes;
        private final List<DimExpr> reducedShape = new ArrayList<>();
        private final Expr length;
        private final int partials;
        private final String threadName = cx.fresh("t"), rowName = cx.fresh("o");
        private final LType accType;

        /** {@code rows}: how many rows (blocks); {@code acc}: the type combined values have. */
        RowBlock(List<DimExpr> shape, List<Integer> axes, DType acc, Expr rows) {
            this.shape = shape;
            this.axes = axes;
            this.accType = LType.scalar(acc);
            for (int axis : axes.stream().sorted().toList()) reducedShape.add(shape.get(axis));
            Expr n = Ix.idx(1);
            for (var d : reducedShape) n = Ix.mul(n, Ix.dim(d));
            this.length = n;
            // one partial per warp, and one more to hand the block's result to every thread
            this.partials = cx.shared(acc, BLOCK_THREADS / WARP + 1);
            cx.launch(new LoopProgram.BlockLaunch(List.of(rows, Ix.idx(1), Ix.idx(1)), BLOCK_THREADS, List.of(partials)));
        }

        Expr thread() { return new Expr.Var(threadName, LType.INDEX); }

        /** The row's (block's) index, C order over the kept axes. */
        Expr row() { return new Expr.Var(rowName, LType.INDEX); }

        /** The kept axes' indices of the row. */
        List<Expr> kept() {
            var keptShape = new ArrayList<DimExpr>();
            for (int i = 0; i < shape.size(); i++) if (!axes.contains(i)) keptShape.add(shape.get(i));
            return unflatten(row(), keptShape);
        }

        /** The kernel's first statements: the thread's and the row's index. */
        List<Stmt> start() {
            var body = new ArrayList<Stmt>();
            body.add(new Stmt.Declare(threadName, LType.INDEX, new Expr.GpuIndex(Expr.GpuAxis.THREAD)));
            body.add(new Stmt.Declare(rowName, LType.INDEX, new Expr.GpuIndex(Expr.GpuAxis.BLOCK_X)));
            return body;
        }

        /** {@code body(full index)} for this thread's elements of the row: j * 256 + t while below the row's length. */
        Stmt strided(Function<List<Expr>, Stmt> body) {
            String jn = cx.fresh("j"), rn = cx.fresh("r");
            var rv = new Expr.Var(rn, LType.INDEX);
            var reduced = unflatten(rv, reducedShape);
            var kept = kept();
            var full = new ArrayList<Expr>();
            int k = 0, q = 0;
            for (int i = 0; i < shape.size(); i++) full.add(axes.contains(i) ? reduced.get(q++) : kept.get(k++));
            var step = new Stmt.Block(List.of(
                    new Stmt.Declare(rn, LType.INDEX, Ix.add(Ix.mul(new Expr.Var(jn, LType.INDEX), Ix.idx(BLOCK_THREADS)), thread())),
                    new Stmt.If(Ix.cmp(BinaryFn.LT, rv, length), body.apply(full), new Stmt.Block(List.of()))));
            return new Stmt.Loop(jn, Ix.idx(0), Ix.div(Ix.add(length, Ix.idx(BLOCK_THREADS - 1)), Ix.idx(BLOCK_THREADS)), 1, Stmt.Schedule.SERIAL, step);
        }

        /**
         * Appends statements after which local {@code var} holds, in every thread, {@code fn} of
         * all the threads' values: each warp folds its 32 with shuffles, the warps' results meet in
         * shared memory, the first warp folds those and hands the result back through it.
         */
        void combine(List<Stmt> body, ReduceFn fn, String var, double identity) {
            DType acc = accType.dtype();
            var v = new Expr.Var(var, accType);
            int warps = BLOCK_THREADS / WARP;
            for (int d = WARP / 2; d >= 1; d /= 2) body.add(new Stmt.Assign(var, ReductionKernels.combine(fn, acc, v, new Expr.ShuffleDown(v, d))));
            body.add(new Stmt.If(Ix.cmp(BinaryFn.EQ, Ix.mod(thread(), Ix.idx(WARP)), Ix.idx(0)),
                    new Stmt.Store(partials, Ix.div(thread(), Ix.idx(WARP)), v), new Stmt.Block(List.of())));
            body.add(new Stmt.Barrier());
            var first = new ArrayList<Stmt>();
            String wn = cx.fresh("w");
            var w = new Expr.Var(wn, accType);
            first.add(new Stmt.Declare(wn, accType, new Expr.Select(Ix.cmp(BinaryFn.LT, thread(), Ix.idx(warps)),
                    new Expr.Load(partials, Ix.min(thread(), Ix.idx(warps - 1)), accType), constant(acc, identity))));
            for (int d = warps / 2; d >= 1; d /= 2) first.add(new Stmt.Assign(wn, ReductionKernels.combine(fn, acc, w, new Expr.ShuffleDown(w, d))));
            first.add(new Stmt.If(Ix.cmp(BinaryFn.EQ, thread(), Ix.idx(0)), new Stmt.Store(partials, Ix.idx(warps), w), new Stmt.Block(List.of())));
            body.add(new Stmt.If(Ix.cmp(BinaryFn.LT, thread(), Ix.idx(WARP)), new Stmt.Block(first), new Stmt.Block(List.of())));
            body.add(new Stmt.Barrier());
            body.add(new Stmt.Assign(var, new Expr.Load(partials, Ix.idx(warps), accType)));
        }
    }

    /** A C-order flat index split into one index per axis of {@code shape}. */
    private static List<Expr> unflatten(Expr flat, List<DimExpr> shape) {
        var out = new ArrayList<Expr>();
        Expr rest = flat;
        for (int i = shape.size() - 1; i >= 0; i--) {
            Expr d = Ix.dim(shape.get(i));
            out.addFirst(i == 0 ? rest : Ix.mod(rest, d));
            rest = Ix.div(rest, d);
        }
        return out;
    }

    /** Columns per parallel piece of {@link #columnSums}: a few cache lines of double accumulators. */
    private static final long COLUMNS = 64;

    /** Reduces every axis but the last (a bias gradient: [B, 256] to [256], [B, H, W, C] to [C]). */
    private static boolean keepsOnlyTheLastAxis(List<Integer> axes, int rank) {
        if (rank < 2 || axes.size() != rank - 1) return false;
        for (int i = 0; i < rank - 1; i++) if (!axes.contains(i)) return false;
        return true;
    }

    /**
     * A reduction over every axis but the last, row by row: a strip of columns keeps its double
     * accumulators in a scratch buffer and each row adds its contiguous stretch to them, where the
     * general form would walk each column down the rows with a stride. Each column still sums its
     * elements in C order, so the result is the same to the bit.
     */
    private Stmt columnSums(Node n, Op.Reduce r, int out) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType t = n.type().dtype();
        Expr cols = Ix.dim(xShape.get(xShape.size() - 1));
        int sums = cx.scratch(DType.F64, n.type().shape());
        String ob = cx.fresh("o");
        var obv = new Expr.Var(ob, LType.INDEX);
        String hiName = cx.fresh("hi"), endName = cx.fresh("end");
        Expr hiValue = Ix.min(Ix.add(obv, Ix.idx(COLUMNS)), cols);
        Expr hi = new Expr.Var(hiName, LType.INDEX);
        // where the strip's vectors of doubles end (see vectorRow), computed once per strip
        Expr end = new Expr.Var(endName, LType.INDEX);
        Expr endValue = Ix.add(obv, Ix.mul(Ix.div(Ix.sub(hi, obv), Ix.idx(Math.max(doubleLanes, 1))), Ix.idx(Math.max(doubleLanes, 1))));
        java.util.function.Function<java.util.function.Function<Expr, Stmt>, Stmt> strip = body -> {
            String o = cx.fresh("o");
            return new Stmt.Loop(o, obv, hi, 1, Stmt.Schedule.SERIAL, body.apply(new Expr.Var(o, LType.INDEX)));
        };
        var sumAt = (java.util.function.Function<Expr, Expr>) o -> new Expr.Load(sums, o, LType.scalar(DType.F64));
        Stmt init = strip.apply(o -> new Stmt.Store(sums, o, constant(DType.F64, identity(r.fn(), t))));
        Stmt rows = cx.nest(xShape.subList(0, xShape.size() - 1), "r", Stmt.Schedule.SERIAL, row -> {
            java.util.function.Function<Expr, Expr> value = o -> {
                var full = new ArrayList<>(row);
                full.add(o);
                return pw.value(x, full);
            };
            Stmt scalar = strip.apply(o -> new Stmt.Store(sums, o, combine(r.fn(), DType.F64, sumAt.apply(o), cast(value.apply(o), DType.F64))));
            return r.fn() == ReduceFn.SUM && t == DType.F32 && doubleLanes >= 2 ? vectorRow(sums, obv, end, hi, value).orElse(scalar) : scalar;
        });
        Stmt finish = strip.apply(o -> new Stmt.Store(out, o, cast(sumAt.apply(o), t)));
        return new Stmt.Loop(ob, Ix.idx(0), cols, COLUMNS, Stmt.Schedule.PARALLEL, block(new Stmt.Declare(hiName, LType.INDEX, hiValue),
                new Stmt.Declare(endName, LType.INDEX, endValue), init, rows, finish));
    }

    /**
     * One row's f32 sums into the strip [lo, hi) of double accumulators, {@link #doubleLanes}
     * columns at a time up to {@code end}: a vector of f32 values widened to doubles (exact) and added lane by lane,
     * so each column gets the very additions of the scalar loop, which takes the columns left
     * over. Empty when the row's value has no exact vector form (see {@link Vectorizer}).
     */
    private java.util.Optional<Stmt> vectorRow(int sums, Expr lo, Expr end, Expr hi, java.util.function.Function<Expr, Expr> value) {
        String o = cx.fresh("o");
        var ov = new Expr.Var(o, LType.INDEX);
        var vector = new Vectorizer(o, doubleLanes).vectorize(value.apply(ov));
        if (vector.isEmpty()) return java.util.Optional.empty();
        LType f64s = LType.scalar(DType.F64).withLanes(doubleLanes);
        Stmt body = new Stmt.Store(sums, ov, new Expr.Binary(BinaryFn.ADD, new Expr.Load(sums, ov, f64s), new Expr.Cast(vector.get(), f64s), f64s));
        String tail = cx.fresh("o");
        var tv = new Expr.Var(tail, LType.INDEX);
        Stmt rest = new Stmt.Store(sums, tv, combine(ReduceFn.SUM, DType.F64, new Expr.Load(sums, tv, LType.scalar(DType.F64)), cast(value.apply(tv), DType.F64)));
        return java.util.Optional.of(block(new Stmt.Loop(o, lo, end, doubleLanes, Stmt.Schedule.SERIAL, body),
                new Stmt.Loop(tail, end, hi, 1, Stmt.Schedule.SERIAL, rest)));
    }

    /** The first index of the maximum (minimum) along the axis; a NaN beats every number and the first NaN wins. */
    Stmt argReduce(Node n, Op.ArgReduce r, int out) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType acc = KernelContext.accumulator(cx.node(x).type().dtype() == DType.BOOL ? DType.I32 : cx.node(x).type().dtype());
        boolean floats = acc == DType.F64;
        return cx.nest(n.type().shape(), "o", Stmt.Schedule.PARALLEL, kept -> {
            String best = cx.fresh("best"), at = cx.fresh("at"), k = cx.fresh("k");
            var bestV = new Expr.Var(best, LType.scalar(acc));
            var kv = new Expr.Var(k, LType.INDEX);
            Function<Expr, List<Expr>> index = pos -> {
                var full = new ArrayList<>(kept);
                full.add(r.axis(), pos);
                return full;
            };
            Expr v = cast(pw.value(x, index.apply(kv)), acc);
            Expr better = Ix.cmp(r.max() ? BinaryFn.GT : BinaryFn.LT, v, bestV);
            if (floats) {
                better = Ix.and(Ix.cmp(BinaryFn.EQ, bestV, bestV), new Expr.Binary(BinaryFn.OR, Ix.cmp(BinaryFn.NE, v, v), better, LType.scalar(DType.BOOL)));
            }
            var update = new Stmt.If(better, block(new Stmt.Assign(best, v), new Stmt.Assign(at, kv)), block());
            Expr len = Ix.dim(xShape.get(r.axis()));
            return block(
                    new Stmt.Declare(best, LType.scalar(acc), cast(pw.value(x, index.apply(Ix.min(Ix.idx(0), Ix.sub(len, Ix.idx(1))))), acc)),
                    new Stmt.Declare(at, LType.INDEX, Ix.idx(0)),
                    new Stmt.Loop(k, Ix.idx(1), len, 1, Stmt.Schedule.SERIAL, update),
                    new Stmt.Store(out, Ix.linear(kept, n.type().shape()), new Expr.Cast(new Expr.Var(at, LType.INDEX), LType.scalar(DType.I64))));
        });
    }

    /** softmax, log_softmax (same shape as x) and logsumexp (the axes removed), max-shifted, in double. */
    Stmt softmax(Node n, List<Integer> axes, int out) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType t = n.type().dtype();
        var keptShape = new ArrayList<DimExpr>();
        for (int i = 0; i < xShape.size(); i++) if (!axes.contains(i)) keptShape.add(xShape.get(i));
        if (cx.gpu && longRows(xShape, axes)) return blockSoftmax(n, axes, out, keptShape);
        return cx.nest(keptShape, "o", Stmt.Schedule.PARALLEL, kept -> {
            String m = cx.fresh("max"), s = cx.fresh("sum");
            var mv = new Expr.Var(m, LType.scalar(DType.F64));
            var sv = new Expr.Var(s, LType.scalar(DType.F64));
            Function<List<Expr>, Expr> xAt = full -> cast(pw.value(x, full), DType.F64);
            var body = new ArrayList<Stmt>();
            body.add(new Stmt.Declare(m, LType.scalar(DType.F64), constant(DType.F64, Double.NEGATIVE_INFINITY)));
            body.add(groupNest(xShape, axes, kept, full -> new Stmt.Assign(m, new Expr.Binary(BinaryFn.MAX, mv, xAt.apply(full), mv.type()))));
            body.add(new Stmt.Declare(s, LType.scalar(DType.F64), constant(DType.F64, 0)));
            body.add(groupNest(xShape, axes, kept, full -> new Stmt.Assign(s,
                    new Expr.Binary(BinaryFn.ADD, sv, new Expr.Unary(UnaryFn.EXP, sub(xAt.apply(full), mv)), sv.type()))));
            switch (n.op()) {
                case Op.Softmax sm -> body.add(groupNest(xShape, axes, kept, full -> new Stmt.Store(out, Ix.linear(full, xShape),
                        cast(new Expr.Binary(BinaryFn.DIV, new Expr.Unary(UnaryFn.EXP, sub(xAt.apply(full), mv)), sv, sv.type()), t))));
                case Op.LogSoftmax ls -> body.add(groupNest(xShape, axes, kept, full -> new Stmt.Store(out, Ix.linear(full, xShape),
                        cast(sub(sub(xAt.apply(full), mv), new Expr.Unary(UnaryFn.LOG, sv)), t))));
                default -> {
                    // an infinite maximum is the answer itself; the formula would give NaN
                    Expr infinite = new Expr.Binary(BinaryFn.OR, Ix.cmp(BinaryFn.EQ, mv, constant(DType.F64, Double.POSITIVE_INFINITY)),
                            Ix.cmp(BinaryFn.EQ, mv, constant(DType.F64, Double.NEGATIVE_INFINITY)), LType.scalar(DType.BOOL));
                    Expr lse = new Expr.Binary(BinaryFn.ADD, mv, new Expr.Unary(UnaryFn.LOG, sv), sv.type());
                    body.add(new Stmt.Store(out, Ix.linear(kept, keptShape), cast(new Expr.Select(infinite, mv, lse), t)));
                }
            }
            return new Stmt.Block(body);
        });
    }

    /** Whether rows over {@code axes} have at least {@value #BLOCK_THREADS} elements (or a count known only at run time). */
    private static boolean longRows(List<DimExpr> shape, List<Integer> axes) {
        DimExpr n = DimExpr.constant(1);
        for (int axis : axes) n = n.times(shape.get(axis));
        var length = n.constantValue();
        return length.isEmpty() || length.getAsLong() >= BLOCK_THREADS;
    }

    /**
     * Softmax, log-softmax and logsumexp on a GPU with long rows: a block per row ({@link
     * RowBlock}) finds the row's maximum, then the sum of exp(x - max), each combined across the
     * block, then writes the row (or its one value), each thread its own elements. Double, as on
     * the CPUs.
     */
    private Stmt blockSoftmax(Node n, List<Integer> axes, int out, List<DimExpr> keptShape) {
        int x = n.inputs().get(0);
        var xShape = cx.node(x).type().shape();
        DType t = n.type().dtype();
        Expr rows = Ix.idx(1);
        for (var d : keptShape) rows = Ix.mul(rows, Ix.dim(d));
        var block = new RowBlock(xShape, axes, DType.F64, rows);
        var body = block.start();
        String m = cx.fresh("max"), s = cx.fresh("sum");
        var mv = new Expr.Var(m, LType.scalar(DType.F64));
        var sv = new Expr.Var(s, LType.scalar(DType.F64));
        Function<List<Expr>, Expr> xAt = full -> cast(pw.value(x, full), DType.F64);
        body.add(new Stmt.Declare(m, LType.scalar(DType.F64), constant(DType.F64, Double.NEGATIVE_INFINITY)));
        body.add(block.strided(full -> new Stmt.Assign(m, new Expr.Binary(BinaryFn.MAX, mv, xAt.apply(full), mv.type()))));
        block.combine(body, ReduceFn.MAX, m, Double.NEGATIVE_INFINITY);
        body.add(new Stmt.Declare(s, LType.scalar(DType.F64), constant(DType.F64, 0)));
        body.add(block.strided(full -> new Stmt.Assign(s,
                new Expr.Binary(BinaryFn.ADD, sv, new Expr.Unary(UnaryFn.EXP, sub(xAt.apply(full), mv)), sv.type()))));
        block.combine(body, ReduceFn.SUM, s, 0);
        switch (n.op()) {
            case Op.Softmax sm -> body.add(block.strided(full -> new Stmt.Store(out, Ix.linear(full, xShape),
                    cast(new Expr.Binary(BinaryFn.DIV, new Expr.Unary(UnaryFn.EXP, sub(xAt.apply(full), mv)), sv, sv.type()), t))));
            case Op.LogSoftmax ls -> body.add(block.strided(full -> new Stmt.Store(out, Ix.linear(full, xShape),
                    cast(sub(sub(xAt.apply(full), mv), new Expr.Unary(UnaryFn.LOG, sv)), t))));
            default -> {
                Expr infinite = new Expr.Binary(BinaryFn.OR, Ix.cmp(BinaryFn.EQ, mv, constant(DType.F64, Double.POSITIVE_INFINITY)),
                        Ix.cmp(BinaryFn.EQ, mv, constant(DType.F64, Double.NEGATIVE_INFINITY)), LType.scalar(DType.BOOL));
                Expr lse = new Expr.Binary(BinaryFn.ADD, mv, new Expr.Unary(UnaryFn.LOG, sv), sv.type());
                body.add(new Stmt.If(Ix.cmp(BinaryFn.EQ, block.thread(), Ix.idx(0)),
                        new Stmt.Store(out, block.row(), cast(new Expr.Select(infinite, mv, lse), t)), new Stmt.Block(List.of())));
            }
        }
        return new Stmt.Block(body);
    }

    /** Loops over the reduced axes of {@code shape}; the body sees the full index (kept and reduced positions merged). */
    private Stmt groupNest(List<DimExpr> shape, List<Integer> axes, List<Expr> kept, Function<List<Expr>, Stmt> body) {
        var reducedShape = new ArrayList<DimExpr>();
        for (int axis : axes.stream().sorted().toList()) reducedShape.add(shape.get(axis));
        return cx.nest(reducedShape, "r", Stmt.Schedule.SERIAL, reduced -> {
            var full = new ArrayList<Expr>();
            int k = 0, r = 0;
            for (int i = 0; i < shape.size(); i++) full.add(axes.contains(i) ? reduced.get(r++) : kept.get(k++));
            return body.apply(full);
        });
    }

    private static Expr sub(Expr a, Expr b) { return new Expr.Binary(BinaryFn.SUB, a, b, a.type()); }

    private static Expr combine(ReduceFn fn, DType acc, Expr a, Expr x) {
        if (acc == DType.BOOL) {
            boolean any = fn == ReduceFn.SUM || fn == ReduceFn.MAX;
            return new Expr.Binary(any ? BinaryFn.OR : BinaryFn.AND, a, x, a.type());
        }
        var op = switch (fn) {
            case SUM -> BinaryFn.ADD;
            case PROD -> BinaryFn.MUL;
            case MAX -> BinaryFn.MAX;
            case MIN -> BinaryFn.MIN;
        };
        return new Expr.Binary(op, a, x, a.type());
    }

    /** The value a reduction starts from: what the interpreter starts from, type by type. */
    private static double identity(ReduceFn fn, DType t) {
        if (t == DType.BOOL) return fn == ReduceFn.SUM || fn == ReduceFn.MAX ? 0 : 1;
        return switch (fn) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> t.isFloat() ? Double.NEGATIVE_INFINITY : t == DType.I32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            case MIN -> t.isFloat() ? Double.POSITIVE_INFINITY : t == DType.I32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        };
    }
}
