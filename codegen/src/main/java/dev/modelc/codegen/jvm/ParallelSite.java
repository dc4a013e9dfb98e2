package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.codegen.jvm.ClassGen.Capture;
import dev.modelc.codegen.jvm.ClassGen.Outlined;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopUsage;
import dev.modelc.loops.Stmt;
import java.util.ArrayList;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * A parallel loop where it occurs. Its body becomes a method of its own taking {@code (lo, hi)},
 * the buffers and dimensions it uses and the outer locals it reads; here the loop becomes
 * <pre>
 *   if (Parallel.worthSplitting(lo, hi, step, workPerIteration))
 *       Parallel.forRange(this, id, lo, hi, step, new long[] {captured locals as bits});
 *   else
 *       body(lo, hi, buffers..., dims..., captured locals...);
 * </pre>
 * so a small loop is a plain call that C2 can inline, and allocates nothing.
 */
final class ParallelSite {
    private static final String PARALLEL = "dev/modelc/runtime/jvm/Parallel";

    private final StmtGen stmts;
    private final Stmt.Loop loop;
    private final MethodVisitor mv;

    ParallelSite(StmtGen stmts, Stmt.Loop loop) {
        this.stmts = stmts;
        this.loop = loop;
        this.mv = stmts.mv;
    }

    void emit() {
        LoopUsage u = LoopUsage.ofLoopBody(loop);
        if (!u.assignedFree.isEmpty()) {
            throw new IllegalArgumentException("parallel loop " + loop.var() + " assigns outer locals " + u.assignedFree
                    + "; its iterations must be independent");
        }
        var captures = new ArrayList<Capture>();
        for (String name : u.free) {
            LType t = stmts.locals.get(name).type();
            if (t instanceof LType.Vector) {
                throw new UnsupportedOperationException("parallel loop " + loop.var() + " reads the vector local " + name
                        + " from outside; the JVM backend passes only scalars into parallel loops");
            }
            captures.add(new Capture(name, t));
        }
        Outlined body = stmts.owner.outline(loop, u, captures);
        int step = JvmCompiler.intIndex(loop.step());
        int lo = stmts.evaluateIndex(loop.lo()), hi = stmts.evaluateIndex(loop.hi());
        Label inline = new Label(), end = new Label();

        mv.visitVarInsn(ILOAD, lo);
        mv.visitVarInsn(ILOAD, hi);
        ScalarOps.push(mv, step);
        mv.visitLdcInsn(LoopUsage.work(loop.body()));
        mv.visitMethodInsn(INVOKESTATIC, PARALLEL, "worthSplitting", "(IIIJ)Z", false);
        mv.visitJumpInsn(IFEQ, inline);

        mv.visitVarInsn(ALOAD, 0);
        ScalarOps.push(mv, body.id());
        mv.visitVarInsn(ILOAD, lo);
        mv.visitVarInsn(ILOAD, hi);
        ScalarOps.push(mv, step);
        ScalarOps.push(mv, captures.size());
        mv.visitIntInsn(NEWARRAY, T_LONG);
        for (int i = 0; i < captures.size(); i++) {
            mv.visitInsn(DUP);
            ScalarOps.push(mv, i);
            Capture c = captures.get(i);
            stmts.load(stmts.locals.get(c.name()).slot(), c.type());
            Captures.encode(mv, Kind.of(c.type()));
            mv.visitInsn(LASTORE);
        }
        mv.visitMethodInsn(INVOKESTATIC, PARALLEL, "forRange", "(Ldev/modelc/runtime/jvm/RangeBody;IIII[J)V", false);
        mv.visitJumpInsn(GOTO, end);

        mv.visitLabel(inline);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, lo);
        mv.visitVarInsn(ILOAD, hi);
        for (int b : body.buffers()) stmts.gen.loadBuffer(b);
        for (String d : body.dims()) stmts.gen.emit(new dev.modelc.loops.Expr.Dim(d));
        for (Capture c : captures) stmts.load(stmts.locals.get(c.name()).slot(), c.type());
        mv.visitMethodInsn(INVOKEVIRTUAL, stmts.owner.className, body.name(), body.descriptor(), false);
        mv.visitLabel(end);
    }
}
