package dev.modelc.loops;

import dev.modelc.fuse.FusedGraph;
import dev.modelc.fuse.FusedGraph.KernelKind;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fused graph → Loop IR: a buffer for every input and every kernel result (temporaries in the
 * plan's slots), and per kernel the loop nest of its kind, with the inlined pointwise nodes
 * recomputed from the loop indices. A kernel may also ask for scratch buffers of its own
 * ({@link KernelContext#scratch}), which come after the others and count among its reads and
 * writes.
 */
public final class LoopLowering {
    private LoopLowering() {}

    /** The vector width the kernels are written for: 256 bits (AVX2, and the JVM's preferred species there). */
    public static final int VECTOR_BITS = 256;

    public static LoopProgram lower(FusedGraph fused) { return lower(fused, VECTOR_BITS); }

    /** With vectors of {@code vectorBits} (0: scalar code only). */
    public static LoopProgram lower(FusedGraph fused, int vectorBits) { return lower(fused, vectorBits, false, false); }

    /**
     * For a GPU: scalar code (a thread is one lane), the plain per-element kernels, and every loop
     * over a kernel's output elements parallel, so that a GPU backend can give each element its
     * own thread.
     */
    public static LoopProgram lowerForGpu(FusedGraph fused) { return lower(fused, 0, true, false); }

    /**
     * As {@link #lowerForGpu(FusedGraph)}, with f32 matrix products (matmul, conv) on the tensor
     * cores where {@code tf32}: inputs rounded to TF32 (10 bits of mantissa), f32 sums; for GPUs
     * of sm_80 and newer.
     */
    public static LoopProgram lowerForGpu(FusedGraph fused, boolean tf32) { return lower(fused, 0, true, tf32); }

    private static LoopProgram lower(FusedGraph fused, int vectorBits, boolean gpu, boolean tf32) {
        var g = fused.graph();
        var buffers = new ArrayList<LoopProgram.Buffer>();
        var bufferOf = new HashMap<Integer, Integer>();
        var inputs = new LinkedHashMap<String, Integer>();
        for (var n : g.nodes()) {
            if (n.op() instanceof Op.Input in && fused.materialized().contains(n.id())) {
                bufferOf.put(n.id(), buffers.size());
                inputs.put(in.name(), buffers.size());
                buffers.add(new LoopProgram.Buffer(buffers.size(), in.name(), n.type().dtype(), n.type().shape(), LoopProgram.Kind.INPUT, -1));
            }
        }
        for (var k : fused.kernels()) {
            var n = g.node(k.root());
            Integer over = fused.inPlace().get(n.id());
            if (over != null) {
                bufferOf.put(n.id(), bufferOf.get(over));
                continue;
            }
            bufferOf.put(n.id(), buffers.size());
            buffers.add(new LoopProgram.Buffer(buffers.size(), "t" + n.id(), n.type().dtype(), n.type().shape(), LoopProgram.Kind.TEMP,
                    fused.slots().get(n.id())));
        }
        var cx = new KernelContext(fused, bufferOf, buffers, gpu, tf32);
        var pointwise = new Pointwise(cx);
        var reductions = new ReductionKernels(cx, pointwise, vectorBits);
        var matmul = new MatMulKernels(cx, pointwise, vectorBits);
        var windows = new WindowKernels(cx, pointwise, vectorBits);
        var gpuMatmul = new GpuMatMulKernels(cx, pointwise);
        var kernels = new ArrayList<LoopProgram.Kernel>();
        for (var k : fused.kernels()) {
            cx.startKernel();
            var n = g.node(k.root());
            int out = bufferOf.get(n.id());
            Stmt body = switch (k.kind()) {
                case POINTWISE -> pointwiseKernel(cx, pointwise, n, out, vectorBits);
                case REDUCE -> reductions.reduce(n, (Op.Reduce) n.op(), out);
                case ARG_REDUCE -> reductions.argReduce(n, (Op.ArgReduce) n.op(), out);
                case SOFTMAX -> reductions.softmax(n, axes(n.op()), out);
                case MATMUL -> gpu && GpuMatMulKernels.applies(g.node(k.op()))
                        ? gpuMatmul.matmul(g.node(k.op()), out, k.hasEpilogue() ? k.root() : -1)
                        : matmul.matmul(g.node(k.op()), out, k.hasEpilogue() ? k.root() : -1);
                case CONV -> gpu && GpuMatMulKernels.appliesToConv(g.node(k.op()))
                        ? gpuMatmul.conv(g.node(k.op()), out, k.hasEpilogue() ? k.root() : -1)
                        : windows.conv(g.node(k.op()), out, k.hasEpilogue() ? k.root() : -1);
                case POOL -> windows.pool(g.node(k.op()), out, k.hasEpilogue() ? k.root() : -1);
            };
            var reads = new ArrayList<>(reads(cx, k, n));
            var writes = new ArrayList<>(List.of(out));
            reads.addAll(cx.scratchBuffers());
            writes.addAll(cx.scratchBuffers());
            kernels.add(new LoopProgram.Kernel("k" + kernels.size() + "_" + k.kind().name().toLowerCase(java.util.Locale.ROOT),
                    body, reads, writes, cx.launch()));
        }
        var results = new LinkedHashMap<String, Integer>();
        for (var r : g.results()) results.put(r.name(), bufferOf.get(fused.storage(r.value())));
        return new LoopProgram(g.name(), new ArrayList<>(new TreeSet<>(g.dimVars())), buffers, kernels, inputs, results);
    }

    /**
     * Loops over the result storing its computed value; the innermost loop in vectors of f32
     * where {@link Vectorizer} can write the value lane by lane, with a scalar loop for the rest.
     */
    private static Stmt pointwiseKernel(KernelContext cx, Pointwise pointwise, Node n, int out, int vectorBits) {
        var shape = n.type().shape();
        int lanes = vectorBits / 32;
        if (shape.isEmpty() || lanes < 2 || n.type().dtype() != dev.modelc.check.DType.F32) {
            return cx.nest(shape, "i", Stmt.Schedule.PARALLEL, idx -> new Stmt.Store(out, Ix.linear(idx, shape), pointwise.compute(n.id(), idx)));
        }
        int r = shape.size();
        String j = cx.fresh("j");
        var jv = new Expr.Var(j, LType.INDEX);
        var outer = shape.subList(0, r - 1);
        // try the vector form on a probe built with the innermost index as a plain variable
        return cx.nest(outer, "i", Stmt.Schedule.PARALLEL, idx -> {
            var full = new ArrayList<>(idx);
            full.add(jv);
            Expr scalar = pointwise.compute(n.id(), full);
            Expr index = Ix.linear(full, shape);
            Expr last = Ix.dim(shape.get(r - 1));
            var vector = new Vectorizer(j, lanes).vectorize(scalar);
            if (vector.isEmpty()) return new Stmt.Loop(j, Ix.idx(0), last, 1, r == 1 ? Stmt.Schedule.PARALLEL : Stmt.Schedule.SERIAL,
                    new Stmt.Store(out, index, scalar));
            Expr full0 = Ix.mul(Ix.div(last, Ix.idx(lanes)), Ix.idx(lanes));
            String jt = cx.fresh("j");
            var tailIdx = new ArrayList<>(idx);
            tailIdx.add(new Expr.Var(jt, LType.INDEX));
            var parts = new ArrayList<Stmt>();
            if (!(full0 instanceof Expr.Index z && z.value() == 0)) {
                parts.add(new Stmt.Loop(j, Ix.idx(0), full0, lanes, r == 1 ? Stmt.Schedule.PARALLEL : Stmt.Schedule.SERIAL,
                        new Stmt.Store(out, index, vector.get())));
            }
            if (!full0.equals(last)) {
                parts.add(new Stmt.Loop(jt, full0, last, 1, Stmt.Schedule.SERIAL,
                        new Stmt.Store(out, Ix.linear(tailIdx, shape), pointwise.compute(n.id(), tailIdx))));
            }
            return new Stmt.Block(parts);
        });
    }

    private static List<Integer> axes(Op op) {
        return switch (op) {
            case Op.Softmax s -> s.axes();
            case Op.LogSoftmax s -> s.axes();
            case Op.LogSumExp s -> s.axes();
            default -> throw new IllegalStateException(op.toString());
        };
    }

    /** The buffers a kernel reads: those of the stored nodes its root and inlined nodes take as operands. */
    private static List<Integer> reads(KernelContext cx, FusedGraph.Kernel k, Node root) {
        var out = new LinkedHashSet<Integer>();
        for (int id : k.computed()) {
            for (int in : cx.node(id).inputs()) {
                int b = cx.buffer(in);
                if (b >= 0) out.add(b);
            }
        }
        return List.copyOf(out);
    }


}
