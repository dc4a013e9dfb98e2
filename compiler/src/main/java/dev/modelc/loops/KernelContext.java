package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.fuse.FusedGraph;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the kernel lowerings share: the fused graph, the buffer of every stored node, and fresh
 * names for loop variables and locals within one kernel.
 */
final class KernelContext {
    final FusedGraph fused;
    final Map<Integer, Node> byId;
    private final Map<Integer, Integer> bufferOfStorage;
    private final List<LoopProgram.Buffer> buffers;
    private final List<Integer> scratch = new ArrayList<>();
    /**
     * Whether the kernels are for a GPU: then every loop of a parallel {@link #nest} is parallel,
     * not just the outermost, so a GPU backend can spread all of its elements over threads (on a
     * CPU a nested parallel loop runs inside its outer one's thread, as a serial loop would).
     */
    final boolean gpu;
    /** On a GPU: whether f32 matrix products use the tensor cores with TF32 inputs ({@link Stmt.MmaTf32}). */
    final boolean tf32;
    private int fresh;

    /** {@code buffers}: the program's, to which {@link #scratch} appends. */
    KernelContext(FusedGraph fused, Map<Integer, Integer> bufferOfStorage, List<LoopProgram.Buffer> buffers, boolean gpu, boolean tf32) {
        this.gpu = gpu;
        this.tf32 = tf32;
        this.fused = fused;
        this.byId = fused.graph().byId();
        this.bufferOfStorage = bufferOfStorage;
        this.buffers = buffers;
    }

    Node node(int id) { return byId.get(id); }

    /** The buffer holding node {@code id}'s value, or -1 when it is computed inline. */
    int buffer(int id) {
        Integer b = bufferOfStorage.get(fused.storage(id));
        return b == null || !(fused.materialized().contains(fused.storage(id))) ? -1 : b;
    }

    /** A name not used before in this kernel, e.g. {@code i3}. */
    String fresh(String prefix) { return prefix + fresh++; }

    void startKernel() {
        fresh = 0;
        scratch.clear();
        launch = null;
    }

    private LoopProgram.BlockLaunch launch;

    /** Makes the current kernel a GPU kernel written for blocks of threads. */
    void launch(LoopProgram.BlockLaunch launch) { this.launch = launch; }

    /** The current kernel's block launch, or null. */
    LoopProgram.BlockLaunch launch() { return launch; }

    /** A buffer in the current GPU kernel's shared memory ({@link LoopProgram.Kind#SHARED}), of a constant size. */
    int shared(DType dtype, long elements) {
        int slot = buffers.stream().mapToInt(LoopProgram.Buffer::slot).max().orElse(-1) + 1;
        int id = buffers.size();
        buffers.add(new LoopProgram.Buffer(id, "shared" + id, dtype, List.of(DimExpr.constant(elements)), LoopProgram.Kind.SHARED, slot));
        return id;
    }

    /**
     * A new temporary buffer for the current kernel's own use (e.g. a kernel rearranged for a
     * faster loop), in a slot of its own, since nothing tells here which slots are free.
     */
    int scratch(DType dtype, List<DimExpr> shape) {
        int slot = buffers.stream().mapToInt(LoopProgram.Buffer::slot).max().orElse(-1) + 1;
        int id = buffers.size();
        buffers.add(new LoopProgram.Buffer(id, "scratch" + id, dtype, shape, LoopProgram.Kind.TEMP, slot));
        scratch.add(id);
        return id;
    }

    /** The scratch buffers of the current kernel. */
    List<Integer> scratchBuffers() { return List.copyOf(scratch); }

    /** Loops over {@code shape} (outermost first), the innermost running {@code body(index)}. */
    Stmt nest(List<DimExpr> shape, String prefix, Stmt.Schedule outer, Function<List<Expr>, Stmt> body) {
        var vars = new ArrayList<Expr>();
        var names = new ArrayList<String>();
        for (int i = 0; i < shape.size(); i++) {
            String v = fresh(prefix);
            names.add(v);
            vars.add(new Expr.Var(v, LType.INDEX));
        }
        Stmt s = body.apply(vars);
        for (int i = shape.size() - 1; i >= 0; i--) {
            var schedule = i == 0 || gpu ? outer : Stmt.Schedule.SERIAL;
            s = new Stmt.Loop(names.get(i), Ix.idx(0), Ix.dim(shape.get(i)), 1, schedule, s);
        }
        return s;
    }

    /** The type accumulations are carried in: double for floats and i64 for integers (as the interpreter does), else the type itself. */
    static DType accumulator(DType t) {
        return t.isFloat() ? DType.F64 : t == DType.I32 ? DType.I64 : t;
    }

    static Expr cast(Expr e, DType to) {
        return e.type().dtype() == to ? e : new Expr.Cast(e, LType.scalar(to));
    }

    static Expr constant(DType t, double v) { return new Expr.Const(t, v); }

    static Stmt block(Stmt... body) { return new Stmt.Block(List.of(body)); }
}
