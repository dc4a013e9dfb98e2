package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.check.DType;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits Loop IR expressions onto the operand stack of one method. Scalars are handled here,
 * vectors by {@link VectorGen}.
 */
final class ExprGen {
    /**
     * A value on the stack: its Loop IR type and, for a bool vector, the element kind of the
     * species its mask is in (masks are typed by species, so where one is used with a vector of
     * another kind it is cast first).
     */
    record Val(LType type, Kind carrier) {
        static Val of(LType t) {
            return new Val(t, t instanceof LType.Vector && t.dtype() == DType.BOOL ? VectorOps.CANONICAL_MASK : Kind.of(t));
        }

        Kind kind() { return Kind.of(type); }

        int lanes() { return type.lanes(); }
    }

    final MethodVisitor mv;
    final Locals locals;
    private final LoopProgram program;
    private final Map<Integer, Integer> bufferSlots;
    private final Map<String, Integer> dimSlots;
    private final VectorGen vectors;

    ExprGen(MethodVisitor mv, Locals locals, LoopProgram program, Map<Integer, Integer> bufferSlots, Map<String, Integer> dimSlots) {
        this.mv = mv;
        this.locals = locals;
        this.program = program;
        this.bufferSlots = bufferSlots;
        this.dimSlots = dimSlots;
        this.vectors = new VectorGen(this);
    }

    static UnsupportedOperationException gpuOnly(String what) {
        return new UnsupportedOperationException(what + " is GPU-only Loop IR; the jvm backend runs CPU kernels");
    }

    Val emit(Expr e) {
        if (e.type() instanceof LType.Vector) return vectors.emit(e);
        Kind k = Kind.of(e.type());
        switch (e) {
            case Expr.GpuIndex g -> throw gpuOnly(g.toString());
            case Expr.ShuffleDown d -> throw gpuOnly("shfl_down");
            case Expr.Index i -> ScalarOps.push(mv, JvmCompiler.intIndex(i.value()));
            case Expr.Const c -> ScalarOps.constant(mv, k, c.value());
            case Expr.Var v -> mv.visitVarInsn(k.load, locals.get(v.name()).slot());
            case Expr.Dim d -> mv.visitVarInsn(ILOAD, dimSlot(d.name()));
            case Expr.Load l -> {
                loadBuffer(l.buffer());
                emit(l.index());
                mv.visitInsn(k.arrayLoad);
            }
            case Expr.Unary u -> ScalarOps.unary(mv, u.fn(), k, () -> emit(u.a()));
            case Expr.Binary b -> ScalarOps.binary(mv, b.fn(), Kind.of(b.a().type()), () -> emit(b.a()), () -> emit(b.b()));
            case Expr.Select s -> select(s);
            case Expr.Cast c -> {
                emit(c.a());
                ScalarOps.cast(mv, Kind.of(c.a().type()), k);
            }
            case Expr.Fma f -> ScalarOps.fma(mv, k, () -> emit(f.a()), () -> emit(f.b()), () -> emit(f.c()));
            case Expr.ReduceLanes r -> vectors.reduceLanes(r);
            case Expr.Splat s -> throw new IllegalArgumentException("a splat to one lane: " + s);
            case Expr.Call c -> call(c);
        }
        return Val.of(e.type());
    }

    /** Evaluates only the chosen branch (the evaluator evaluates both; branches have no effects but a failing load). */
    Val select(Expr.Select s) {
        Label other = new Label(), end = new Label();
        emit(s.cond());
        mv.visitJumpInsn(IFEQ, other);
        Val a = normalized(s.a());
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(other);
        normalized(s.b());
        mv.visitLabel(end);
        return a;
    }

    /** Emits {@code e}, moving a mask into its canonical species, so that two paths or a local agree on it. */
    Val normalized(Expr e) {
        Val v = emit(e);
        if (v.type() instanceof LType.Vector && v.kind() == Kind.BOOL && v.carrier() != VectorOps.CANONICAL_MASK) {
            VectorOps.castMask(mv, VectorOps.CANONICAL_MASK, v.lanes());
            return Val.of(v.type());
        }
        return v;
    }

    private void call(Expr.Call c) {
        switch (c.fn()) {
            case RANDOM_UNIFORM -> {
                if (c.args().size() != 3) throw new IllegalArgumentException("random_uniform takes (key, stream, index)");
                for (Expr arg : c.args()) {
                    Kind k = Kind.of(arg.type());
                    emit(arg);
                    if (k != Kind.LONG) ScalarOps.cast(mv, k, Kind.LONG);
                }
                boolean f32 = c.type().dtype() == DType.F32;
                mv.visitMethodInsn(INVOKESTATIC, "dev/modelc/runtime/CounterRandom", f32 ? "uniformFloat" : "uniformDouble",
                        f32 ? "(JJJ)F" : "(JJJ)D", false);
            }
        }
    }

    void loadBuffer(int id) {
        Integer slot = bufferSlots.get(id);
        if (slot == null) throw new IllegalStateException("buffer " + program.buffer(id).name() + " is not a parameter here");
        mv.visitVarInsn(ALOAD, slot);
    }

    Kind bufferKind(int id) { return Kind.of(program.buffer(id).dtype()); }

    private int dimSlot(String name) {
        Integer slot = dimSlots.get(name);
        if (slot == null) throw new IllegalArgumentException("unknown dimension " + name);
        return slot;
    }
}
