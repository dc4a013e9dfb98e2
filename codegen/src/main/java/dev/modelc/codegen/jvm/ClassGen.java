package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopUsage;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.loops.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes the class for one Loop IR program:
 * <pre>
 * public final class Model_entry implements CompiledProgram {
 *     private float[] b0_x; ...                  // one field per buffer, bound by bind()
 *     private int d_N; ...                       // one per dimension variable
 *     public void bind(Object[] buffers, int[] dims)
 *     public void run()                          // calls each kernel method in order
 *     private void k0_KERNELNAME(float[] b0_x, ..., int d_N, ...)           // a kernel
 *     private void p0_i(int lo, int hi, buffers..., dims..., captures...) // a parallel loop's body
 *     public void run(int loop, int lo, int hi, long[] captures)      // RangeBody: calls p{loop}
 * }
 * </pre>
 * Kernels receive their arrays and dimensions as parameters, so C2 sees loop-invariant locals
 * rather than fields. The class calls only the JDK, the Vector API and the runtime module.
 */
final class ClassGen {
    static final String PACKAGE = "dev/modelc/codegen/jvm/";
    private static final String COMPILED = "dev/modelc/runtime/jvm/CompiledProgram";
    private static final String PROFILE = "dev/modelc/runtime/jvm/KernelProfile";
    private static final String PROFILE_DESC = "L" + PROFILE + ";";

    record Capture(String name, LType type) {}

    /** A parallel loop body to be emitted as method {@code name}. */
    record Outlined(int id, String name, String descriptor, Stmt.Loop loop, List<Integer> buffers, List<String> dims,
                    List<Capture> captures) {}

    private final LoopProgram program;
    final String className;
    private final ClassWriter cw;
    private final List<Outlined> outlined = new ArrayList<>();

    ClassGen(LoopProgram program) { this(program, PACKAGE + "Model_" + identifier(program.entry())); }

    /** With an internal class name of the caller's choosing, e.g. {@code modelc/gen/xor/Entry_logits} for an ahead-of-time jar. */
    ClassGen(LoopProgram program, String className) {
        this.program = program;
        this.className = className;
        // frames are computed; two different reference types never meet in one slot (see Locals),
        // so the common superclass is never needed and no class has to be loaded to find it
        this.cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) { return "java/lang/Object"; }
        };
    }

    byte[] generate() {
        cw.visit(V25, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, className, null, "java/lang/Object", new String[] {COMPILED});
        for (Buffer b : program.buffers()) {
            cw.visitField(ACC_PRIVATE, field(b), Kind.of(b.dtype()).arrayDesc(), null, null).visitEnd();
        }
        for (String d : program.dims()) cw.visitField(ACC_PRIVATE, dimField(d), "I", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "PROFILE", PROFILE_DESC, null, null).visitEnd();
        constructor();
        bind();
        var kernelNames = new ArrayList<String>();
        var kernelParams = new ArrayList<Params>();
        for (int i = 0; i < program.kernels().size(); i++) {
            var k = program.kernels().get(i);
            LoopUsage u = LoopUsage.of(k.body());
            Params params = new Params(List.copyOf(u.buffers), orderedDims(u));
            String name = "k" + i + "_" + identifier(k.name());
            MethodVisitor mv = cw.visitMethod(ACC_PRIVATE, name, descriptor(params, "", List.of()), null, null);
            var slots = params.slots(1);
            var stmts = new StmtGen(this, new ExprGen(mv, new Locals(slots.firstFree), program, slots.buffers, slots.dims));
            mv.visitCode();
            stmts.stmt(k.body());
            finish(mv);
            kernelNames.add(name);
            kernelParams.add(params);
        }
        runKernels(kernelNames, kernelParams);
        runProfiled(kernelNames, kernelParams);
        staticInit(program.kernels().stream().map(k -> k.name()).toList());
        for (int i = 0; i < outlined.size(); i++) parallelBody(outlined.get(i)); // bodies may add nested ones
        dispatch();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Registers a parallel loop's body for a method of its own. */
    Outlined outline(Stmt.Loop loop, LoopUsage u, List<Capture> captures) {
        var params = new Params(List.copyOf(u.buffers), orderedDims(u));
        int id = outlined.size();
        var o = new Outlined(id, "p" + id + "_" + identifier(loop.var()), descriptor(params, "II", captures), loop, params.buffers,
                params.dims, List.copyOf(captures));
        outlined.add(o);
        return o;
    }

    private void parallelBody(Outlined o) {
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE, o.name(), o.descriptor(), null, null);
        var slots = new Params(o.buffers(), o.dims()).slots(3);
        var locals = new Locals(slots.firstFree);
        for (Capture c : o.captures()) locals.declare(c.name(), c.type()); // the trailing parameters, in order
        var stmts = new StmtGen(this, new ExprGen(mv, locals, program, slots.buffers, slots.dims));
        mv.visitCode();
        stmts.countedLoop(o.loop().var(), 1, 2, o.loop().step(), o.loop().body());
        finish(mv);
    }

    /** The buffers and dimensions a generated method takes, in parameter order. */
    private record Params(List<Integer> buffers, List<String> dims) {
        record Slots(Map<Integer, Integer> buffers, Map<String, Integer> dims, int firstFree) {}

        Slots slots(int first) {
            var b = new HashMap<Integer, Integer>();
            var d = new HashMap<String, Integer>();
            int next = first;
            for (int id : buffers) b.put(id, next++);
            for (String name : dims) d.put(name, next++);
            return new Slots(b, d, next);
        }
    }

    /** {@code (leading, buffer arrays..., int dims..., captures...)V} */
    private String descriptor(Params p, String leading, List<Capture> captures) {
        var sb = new StringBuilder("(").append(leading);
        for (int b : p.buffers()) sb.append(Kind.of(program.buffer(b).dtype()).arrayDesc());
        sb.append("I".repeat(p.dims().size()));
        for (Capture c : captures) sb.append(Kind.of(c.type()).stackDesc());
        return sb.append(")V").toString();
    }

    private List<String> orderedDims(LoopUsage u) {
        for (String d : u.dims) if (!program.dims().contains(d)) throw new IllegalArgumentException("unknown dimension " + d);
        return program.dims().stream().filter(u.dims::contains).toList();
    }

    private void constructor() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        finish(mv);
    }

    private void bind() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "bind", "([Ljava/lang/Object;[I)V", null, null);
        mv.visitCode();
        for (Buffer b : program.buffers()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 1);
            ScalarOps.push(mv, b.id());
            mv.visitInsn(AALOAD);
            mv.visitTypeInsn(CHECKCAST, Kind.of(b.dtype()).arrayDesc());
            mv.visitFieldInsn(PUTFIELD, className, field(b), Kind.of(b.dtype()).arrayDesc());
        }
        for (int i = 0; i < program.dims().size(); i++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 2);
            ScalarOps.push(mv, i);
            mv.visitInsn(IALOAD);
            mv.visitFieldInsn(PUTFIELD, className, dimField(program.dims().get(i)), "I");
        }
        finish(mv);
    }

    /**
     * {@code static { PROFILE = KernelProfile.ENABLED ? KernelProfile.register(entry, "k0_..,k1_..") : null; }}:
     * a static final null when profiling is off, which C2 takes as a constant.
     */
    private void staticInit(List<String> names) {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        Label off = new Label(), set = new Label();
        mv.visitFieldInsn(GETSTATIC, PROFILE, "ENABLED", "Z");
        mv.visitJumpInsn(IFEQ, off);
        mv.visitLdcInsn(program.entry());
        mv.visitLdcInsn(String.join(",", names));
        mv.visitMethodInsn(INVOKESTATIC, PROFILE, "register", "(Ljava/lang/String;Ljava/lang/String;)" + PROFILE_DESC, false);
        mv.visitJumpInsn(GOTO, set);
        mv.visitLabel(off);
        mv.visitInsn(ACONST_NULL);
        mv.visitLabel(set);
        mv.visitFieldInsn(PUTSTATIC, className, "PROFILE", PROFILE_DESC);
        finish(mv);
    }

    /** {@code runProfiled()}: as {@code run()}, timing each kernel call ({@code KernelProfile.now()}) into PROFILE. */
    private void runProfiled(List<String> names, List<Params> params) {
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE, "runProfiled", "()V", null, null);
        mv.visitCode();
        for (int i = 0; i < names.size(); i++) {
            mv.visitMethodInsn(INVOKESTATIC, PROFILE, "now", "()J", false);
            mv.visitVarInsn(LSTORE, 1);
            mv.visitVarInsn(ALOAD, 0);
            pushFields(mv, params.get(i).buffers(), params.get(i).dims());
            mv.visitMethodInsn(INVOKEVIRTUAL, className, names.get(i), descriptor(params.get(i), "", List.of()), false);
            mv.visitFieldInsn(GETSTATIC, className, "PROFILE", PROFILE_DESC);
            ScalarOps.push(mv, i);
            mv.visitMethodInsn(INVOKESTATIC, PROFILE, "now", "()J", false);
            mv.visitVarInsn(LLOAD, 1);
            mv.visitInsn(LSUB);
            mv.visitMethodInsn(INVOKEVIRTUAL, PROFILE, "add", "(IJ)V", false);
        }
        finish(mv);
    }

    private void runKernels(List<String> names, List<Params> params) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "()V", null, null);
        mv.visitCode();
        Label plain = new Label();
        mv.visitFieldInsn(GETSTATIC, className, "PROFILE", PROFILE_DESC);
        mv.visitJumpInsn(IFNULL, plain);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, className, "runProfiled", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitLabel(plain);
        for (int i = 0; i < names.size(); i++) {
            mv.visitVarInsn(ALOAD, 0);
            pushFields(mv, params.get(i).buffers(), params.get(i).dims());
            mv.visitMethodInsn(INVOKEVIRTUAL, className, names.get(i), descriptor(params.get(i), "", List.of()), false);
        }
        finish(mv);
    }

    /** {@code run(loop, lo, hi, captures)}: a switch on the loop id that calls its body with the bound fields. */
    private void dispatch() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(III[J)V", null, null);
        mv.visitCode();
        Label bad = new Label();
        Label[] cases = new Label[outlined.size()];
        for (int i = 0; i < cases.length; i++) cases[i] = new Label();
        mv.visitVarInsn(ILOAD, 1);
        if (cases.length > 0) mv.visitTableSwitchInsn(0, cases.length - 1, bad, cases);
        else mv.visitJumpInsn(GOTO, bad);
        for (int i = 0; i < cases.length; i++) {
            Outlined o = outlined.get(i);
            mv.visitLabel(cases[i]);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ILOAD, 2);
            mv.visitVarInsn(ILOAD, 3);
            pushFields(mv, o.buffers(), o.dims());
            for (int c = 0; c < o.captures().size(); c++) {
                mv.visitVarInsn(ALOAD, 4);
                ScalarOps.push(mv, c);
                mv.visitInsn(LALOAD);
                Captures.decode(mv, Kind.of(o.captures().get(c).type()));
            }
            mv.visitMethodInsn(INVOKEVIRTUAL, className, o.name(), o.descriptor(), false);
            mv.visitInsn(RETURN);
        }
        mv.visitLabel(bad);
        mv.visitTypeInsn(NEW, "java/lang/IllegalArgumentException");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("no such parallel loop");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void pushFields(MethodVisitor mv, List<Integer> buffers, List<String> dims) {
        for (int b : buffers) {
            mv.visitVarInsn(ALOAD, 0);
            Buffer buf = program.buffer(b);
            mv.visitFieldInsn(GETFIELD, className, field(buf), Kind.of(buf.dtype()).arrayDesc());
        }
        for (String d : dims) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, className, dimField(d), "I");
        }
    }

    private static void finish(MethodVisitor mv) {
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static String field(Buffer b) { return "b" + b.id() + "_" + identifier(b.name()); }

    private static String dimField(String d) { return "d_" + identifier(d); }

    /** A Loop IR name as a Java identifier: other characters become '_'. */
    static String identifier(String name) {
        var sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(Character.isJavaIdentifierPart(c) ? c : '_');
        return sb.isEmpty() ? "_" : sb.toString();
    }
}
