package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.loops.LType;
import dev.modelc.loops.Stmt;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the statements of one generated method. Loops become counted loops over an int counter
 * with the bound read once into a local ({@code for (int i = lo; i < hi; i += step)}), the shape
 * C2 turns into an unrolled, range-check-free loop. Parallel loops are handed to
 * {@link ParallelSite}.
 */
final class StmtGen {
    final ClassGen owner;
    final ExprGen gen;
    final MethodVisitor mv;
    final Locals locals;

    StmtGen(ClassGen owner, ExprGen gen) {
        this.owner = owner;
        this.gen = gen;
        this.mv = gen.mv;
        this.locals = gen.locals;
    }

    void stmt(Stmt s) {
        switch (s) {
            case Stmt.Barrier x -> throw ExprGen.gpuOnly("barrier");
            case Stmt.MmaTf32 m -> throw ExprGen.gpuOnly("mma_tf32");
            case Stmt.Block b -> {
                var outer = locals.open();
                b.body().forEach(this::stmt);
                locals.close(outer);
            }
            case Stmt.Loop l when l.schedule() == Stmt.Schedule.PARALLEL -> new ParallelSite(this, l).emit();
            case Stmt.Loop l -> {
                var outer = locals.open();
                int lo = evaluateIndex(l.lo()), hi = evaluateIndex(l.hi());
                countedLoop(l.var(), lo, hi, l.step(), l.body());
                locals.close(outer);
            }
            case Stmt.Declare d -> {
                if (!d.type().equals(d.init().type())) throw new IllegalArgumentException("var " + d.var() + ": " + d.type() + " = " + d.init().type());
                gen.normalized(d.init());
                var l = locals.declare(d.var(), d.type());
                store(l.slot(), d.type());
            }
            case Stmt.Assign a -> {
                var l = locals.get(a.var());
                if (!l.type().equals(a.value().type())) throw new IllegalArgumentException(a.var() + ": " + l.type() + " = " + a.value().type());
                gen.normalized(a.value());
                store(l.slot(), l.type());
            }
            case Stmt.Store st -> store(st);
            case Stmt.If i -> {
                Label otherwise = new Label(), end = new Label();
                gen.emit(i.cond());
                mv.visitJumpInsn(IFEQ, otherwise);
                stmt(i.then());
                mv.visitJumpInsn(GOTO, end);
                mv.visitLabel(otherwise);
                stmt(i.otherwise());
                mv.visitLabel(end);
            }
        }
    }

    /** Evaluates an index expression once into a fresh int local. */
    int evaluateIndex(dev.modelc.loops.Expr e) {
        gen.emit(e);
        int slot = locals.allocate(LType.INDEX);
        mv.visitVarInsn(ISTORE, slot);
        return slot;
    }

    /** {@code for (int var = lo; var < hi; var += step) body}, with lo and hi in int locals. */
    void countedLoop(String var, int loSlot, int hiSlot, long step, Stmt body) {
        if (step <= 0) throw new IllegalArgumentException("loop " + var + " has step " + step);
        int inc = JvmCompiler.intIndex(step);
        var outer = locals.open();
        int i = locals.declare(var, LType.INDEX).slot();
        mv.visitVarInsn(ILOAD, loSlot);
        mv.visitVarInsn(ISTORE, i);
        Label test = new Label(), exit = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, i);
        mv.visitVarInsn(ILOAD, hiSlot);
        mv.visitJumpInsn(IF_ICMPGE, exit);
        stmt(body);
        if (inc <= Short.MAX_VALUE) {
            mv.visitIincInsn(i, inc);
        } else {
            mv.visitVarInsn(ILOAD, i);
            ScalarOps.push(mv, inc);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ISTORE, i);
        }
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(exit);
        locals.close(outer);
    }

    private void store(Stmt.Store st) {
        LType t = st.value().type();
        Kind k = gen.bufferKind(st.buffer());
        if (Kind.of(t) != k) {
            throw new IllegalArgumentException("a " + t + " stored into buffer " + st.buffer() + " of " + k);
        }
        if (t instanceof LType.Vector) {
            gen.emit(st.value());
            gen.loadBuffer(st.buffer());
            gen.emit(st.index());
            VectorOps.intoArray(mv, k);
        } else {
            gen.loadBuffer(st.buffer());
            gen.emit(st.index());
            gen.emit(st.value());
            mv.visitInsn(k.arrayStore);
        }
    }

    /** Stores the value on the stack into a local of {@code type}. */
    private void store(int slot, LType type) {
        mv.visitVarInsn(type instanceof LType.Vector ? ASTORE : Kind.of(type).store(), slot);
    }

    /** Loads a local of {@code type}. */
    void load(int slot, LType type) {
        mv.visitVarInsn(type instanceof LType.Vector ? ALOAD : Kind.of(type).load, slot);
    }
}
